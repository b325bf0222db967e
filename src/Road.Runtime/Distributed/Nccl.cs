using System.Runtime.InteropServices;

namespace Road.Distributed;

/// <summary>
/// The calls of NCCL's C API (<c>libnccl.so.2</c>) that data parallelism on CUDA needs, bound at run time: from
/// <c>ROAD_NCCL</c>, else the one a pip PyTorch brings (<c>nvidia/nccl/lib</c> beside <c>torch/lib</c>), else the
/// system's. No maintained .NET binding of NCCL exists; TorchSharp has no torch.distributed (PLATFORM.md).
/// Collectives run on CUDA's legacy default stream, the stream libtorch (and so TorchSharp) launches its kernels
/// on, so they are ordered with the backward pass that filled the gradients and the update that reads them.
/// </summary>
internal sealed unsafe class Nccl
{
    public const string Variable = "ROAD_NCCL";
    public const int UniqueIdBytes = 128; // NCCL_UNIQUE_ID_BYTES

    [StructLayout(LayoutKind.Sequential)]
    public struct UniqueId
    {
        public fixed byte Bytes[UniqueIdBytes];
    }

    private readonly delegate* unmanaged<UniqueId*, int> _getUniqueId;
    private readonly delegate* unmanaged<IntPtr*, int, UniqueId, int, int> _commInitRank;
    private readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int> _allReduce;
    private readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int> _broadcast;
    private readonly delegate* unmanaged<IntPtr, int> _commDestroy;
    private readonly delegate* unmanaged<IntPtr, int> _commAbort;
    private readonly delegate* unmanaged<int, IntPtr> _errorString;

    private Nccl(IntPtr library)
    {
        IntPtr Export(string name) => NativeLibrary.GetExport(library, name);
        _getUniqueId = (delegate* unmanaged<UniqueId*, int>)Export("ncclGetUniqueId");
        _commInitRank = (delegate* unmanaged<IntPtr*, int, UniqueId, int, int>)Export("ncclCommInitRank");
        _allReduce = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclAllReduce");
        _broadcast = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclBroadcast");
        _commDestroy = (delegate* unmanaged<IntPtr, int>)Export("ncclCommDestroy");
        _commAbort = (delegate* unmanaged<IntPtr, int>)Export("ncclCommAbort");
        _errorString = (delegate* unmanaged<int, IntPtr>)Export("ncclGetErrorString");
    }

    public static Nccl Load()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured) candidates.Add(configured);
        else
        {
            try
            {
                candidates.Add(Path.GetFullPath(Path.Combine(Road.Native.TorchDevice.FindCudaLibTorch(), "..", "..", "nvidia", "nccl", "lib", "libnccl.so.2")));
            }
            catch (RoadException)
            {
                // no CUDA libtorch to look beside; the system's NCCL may still be there
            }
            candidates.Add("libnccl.so.2");
        }
        foreach (string candidate in candidates)
            if (NativeLibrary.TryLoad(candidate, out var library)) return new Nccl(library);
        throw new RoadException($"data parallelism on CUDA needs NCCL's libnccl.so.2 (looked for {string.Join(", ", candidates)}): pip install nvidia-nccl-cu12 beside PyTorch, or name the library with {Variable}.");
    }

    public UniqueId NewUniqueId()
    {
        UniqueId id;
        Check(_getUniqueId(&id), "ncclGetUniqueId");
        return id;
    }

    public IntPtr InitRank(int ranks, UniqueId id, int rank)
    {
        IntPtr comm;
        Check(_commInitRank(&comm, ranks, id, rank), "ncclCommInitRank");
        return comm;
    }

    public void AllReduceSum(IntPtr comm, IntPtr data, long count, int type) => Check(_allReduce(data, data, (nuint)count, type, 0 /* ncclSum */, comm, IntPtr.Zero), "ncclAllReduce");

    public void Broadcast(IntPtr comm, IntPtr data, long count, int type, int root) => Check(_broadcast(data, data, (nuint)count, type, root, comm, IntPtr.Zero), "ncclBroadcast");

    public void Destroy(IntPtr comm) => Check(_commDestroy(comm), "ncclCommDestroy");

    public void Abort(IntPtr comm) => _commAbort(comm);

    /// <summary>NCCL's data type for a tensor's element type.</summary>
    public static int TypeOf(TorchSharp.torch.ScalarType type) => type switch
    {
        TorchSharp.torch.ScalarType.Byte => 1,
        TorchSharp.torch.ScalarType.Int64 => 4,
        TorchSharp.torch.ScalarType.Float32 => 7,
        TorchSharp.torch.ScalarType.Float64 => 8,
        TorchSharp.torch.ScalarType.BFloat16 => 9,
        _ => throw new RoadException($"NCCL collectives here take float32, float64, bfloat16, int64 or byte tensors, not {type}."),
    };

    private void Check(int code, string call)
    {
        if (code != 0) throw new RoadException($"{call} failed: {Marshal.PtrToStringAnsi(_errorString(code))} (NCCL error {code}; NCCL_DEBUG=INFO says more).");
    }
}
