using static TorchSharp.torch;

namespace Road.Distributed;

/// <summary>
/// Ranks on the CPU joined by Open MPI (started by <c>mpirun</c>): one MPI_Allreduce over the flat gradient buffer
/// per step, in place, split into calls of at most 2^30 elements (MPI counts are 32-bit).
/// </summary>
public sealed class MpiProcessGroup : IProcessGroup
{
    private const int MaxCount = 1 << 30;
    private readonly OpenMpi _mpi;
    private bool _finalized;

    private MpiProcessGroup(OpenMpi mpi)
    {
        _mpi = mpi;
        Rank = mpi.Rank;
        Size = mpi.Size;
    }

    /// <summary>Joins the run's ranks; the environment's rank and size must be MPI's.</summary>
    public static MpiProcessGroup Join(RankEnvironment environment)
    {
        var group = new MpiProcessGroup(OpenMpi.Start(environment.Launcher));
        if (group.Rank != environment.Rank || group.Size != environment.Size)
            throw new RoadException($"{environment.Launcher} said rank {environment.Rank} of {environment.Size}, Open MPI says {group.Rank} of {group.Size}; start the ranks with mpirun.");
        return group;
    }

    public int Rank { get; }
    public int Size { get; }
    public string Backend => "Open MPI";
    public Device Device => CPU;

    public void AllReduceSum(Tensor tensor) => Each(tensor, (address, count, type) => _mpi.AllReduceSum(address, count, type));

    public void Broadcast(Tensor tensor, int root = 0) => Each(tensor, (address, count, type) => _mpi.Broadcast(address, count, type, root));

    public void Abort() => _mpi.Abort();

    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        _mpi.End();
    }

    private void Each(Tensor tensor, Action<IntPtr, int, IntPtr> call)
    {
        if (tensor.device_type != TorchSharp.DeviceType.CPU) throw new RoadException($"Open MPI collectives take CPU tensors; this one is on {tensor.device}. Runs on CUDA use NCCL.");
        var type = _mpi.TypeOf(tensor.dtype);
        IntPtr address = TensorMemory.Address(tensor);
        long size = tensor.element_size();
        for (long offset = 0; offset < tensor.numel(); offset += MaxCount)
            call(address + checked((nint)(offset * size)), (int)Math.Min(MaxCount, tensor.numel() - offset), type);
    }
}
