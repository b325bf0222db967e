using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Distributed;

/// <summary>
/// Ranks on CUDA GPUs joined by NCCL, one GPU each: started by <c>./build.sh RunExperiment --gpus N</c> (which gives
/// each rank one visible GPU), by Slurm's srun (<c>--gpu-bind=single:1</c>), or by any torchrun-style launcher (a
/// rank that sees several GPUs takes the one of its local rank). Rank 0's unique id reaches the others through
/// <see cref="UniqueIdRendezvous"/>.
/// </summary>
public sealed class NcclProcessGroup : IProcessGroup
{
    private static readonly TimeSpan RendezvousTimeout = TimeSpan.FromMinutes(5);
    private readonly Nccl _nccl;
    private IntPtr _comm;

    private NcclProcessGroup(Nccl nccl, IntPtr comm, int rank, int size, int deviceIndex)
    {
        (_nccl, _comm, Rank, Size) = (nccl, comm, rank, size);
        Device = new Device(DeviceType.CUDA, deviceIndex);
    }

    public int Rank { get; }
    public int Size { get; }
    public string Backend => "NCCL";
    public Device Device { get; }

    /// <summary>The GPU of this rank: the only one it sees, else the one of its local rank.</summary>
    public static int DeviceIndex(RankEnvironment environment) =>
        Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { } visible && visible.Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 1 ? 0 : environment.LocalRank;

    public static NcclProcessGroup Join(RankEnvironment environment)
    {
        string address = Environment.GetEnvironmentVariable(UniqueIdRendezvous.AddressVariable) ?? "";
        string portText = Environment.GetEnvironmentVariable(UniqueIdRendezvous.PortVariable) ?? "";
        if (address.Length == 0 || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            throw new RoadException($"{environment.Launcher} started rank {environment.Rank} of {environment.Size} on CUDA without {UniqueIdRendezvous.AddressVariable} and {UniqueIdRendezvous.PortVariable} (rank 0's host and a free port), which NCCL's ranks meet through.");
        Road.Native.TorchDevice.FindCudaLibTorch(); // no CUDA libtorch: that error first, not NCCL's
        int device = DeviceIndex(environment);
        if (device != 0) CudaRuntime.SetDevice(device);
        var nccl = Nccl.Load();
        byte[] id = UniqueIdRendezvous.Exchange(environment.Rank, environment.Size, address, port, environment.Rank == 0 ? Bytes(nccl.NewUniqueId()) : null, RendezvousTimeout);
        return new NcclProcessGroup(nccl, nccl.InitRank(environment.Size, Id(id), environment.Rank), environment.Rank, environment.Size, device);
    }

    public void AllReduceSum(Tensor tensor) => _nccl.AllReduceSum(_comm, Address(tensor), tensor.numel(), Nccl.TypeOf(tensor.dtype));

    public void Broadcast(Tensor tensor, int root = 0) => _nccl.Broadcast(_comm, Address(tensor), tensor.numel(), Nccl.TypeOf(tensor.dtype), root);

    public void Abort()
    {
        _nccl.Abort(_comm);
        _comm = IntPtr.Zero;
        Environment.Exit(1);
    }

    public void Dispose()
    {
        if (_comm == IntPtr.Zero) return;
        _nccl.Destroy(_comm);
        _comm = IntPtr.Zero;
    }

    private IntPtr Address(Tensor tensor) => tensor.device_type == DeviceType.CUDA && tensor.device_index == Device.index
        ? TensorMemory.Address(tensor)
        : throw new RoadException($"NCCL collectives take tensors on this rank's GPU ({Device}); this one is on {tensor.device}.");

    private static unsafe byte[] Bytes(Nccl.UniqueId id) => new ReadOnlySpan<byte>(id.Bytes, Nccl.UniqueIdBytes).ToArray();

    private static unsafe Nccl.UniqueId Id(byte[] bytes)
    {
        if (bytes.Length != Nccl.UniqueIdBytes) throw new RoadException($"rank 0 sent a NCCL unique id of {bytes.Length} bytes, not {Nccl.UniqueIdBytes}; the ranks run different builds.");
        var id = new Nccl.UniqueId();
        bytes.CopyTo(new Span<byte>(id.Bytes, Nccl.UniqueIdBytes));
        return id;
    }

    // cudaSetDevice from the CUDA runtime libtorch loaded: NCCL binds a communicator to the device current at its creation.
    private static unsafe class CudaRuntime
    {
        public static void SetDevice(int device)
        {
            if (!NativeLibrary.TryLoad("libcudart.so.12", out var library) && !NativeLibrary.TryLoad("libcudart.so", out library))
                throw new RoadException($"this rank sees several GPUs and must pick GPU {device}, which needs the CUDA runtime (libcudart.so.12); give each rank one GPU with CUDA_VISIBLE_DEVICES instead.");
            var setDevice = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "cudaSetDevice");
            int code = setDevice(device);
            if (code != 0) throw new RoadException($"cudaSetDevice({device}) failed with CUDA error {code}.");
        }
    }
}
