using System.Runtime.InteropServices;

namespace Road.Distributed;

/// <summary>
/// The few calls of Open MPI's C API that data parallelism needs, bound at run time from <c>libmpi.so.40</c>
/// (Debian's <c>libopenmpi3</c>; <c>ROAD_MPI</c> names another). No maintained .NET binding fits: MPI.NET's
/// package targets Microsoft MPI on Windows. Open MPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>,
/// <c>MPI_SUM</c>) are the addresses of its exported objects, which is Open MPI's ABI, not MPICH's.
/// </summary>
internal sealed unsafe class OpenMpi
{
    public const string Variable = "ROAD_MPI";
    private const string DefaultLibrary = "libmpi.so.40";
    private static readonly IntPtr InPlace = 1; // Open MPI's MPI_IN_PLACE

    private readonly delegate* unmanaged<IntPtr, IntPtr, int> _init;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<IntPtr, int*, int> _rank;
    private readonly delegate* unmanaged<IntPtr, int*, int> _size;
    private readonly delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr, IntPtr, int> _allReduce;
    private readonly delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, int> _broadcast;
    private readonly delegate* unmanaged<IntPtr, int, int> _abort;
    private readonly Dictionary<TorchSharp.torch.ScalarType, IntPtr> _types;
    private readonly IntPtr _world, _sum;

    private OpenMpi(IntPtr library)
    {
        IntPtr Export(string name) => NativeLibrary.GetExport(library, name);
        _init = (delegate* unmanaged<IntPtr, IntPtr, int>)Export("MPI_Init");
        _finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        _rank = (delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_rank");
        _size = (delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_size");
        _allReduce = (delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr, IntPtr, int>)Export("MPI_Allreduce");
        _broadcast = (delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, int>)Export("MPI_Bcast");
        _abort = (delegate* unmanaged<IntPtr, int, int>)Export("MPI_Abort");
        _world = Export("ompi_mpi_comm_world");
        _sum = Export("ompi_mpi_op_sum");
        _types = new()
        {
            [TorchSharp.torch.ScalarType.Float32] = Export("ompi_mpi_float"),
            [TorchSharp.torch.ScalarType.Float64] = Export("ompi_mpi_double"),
            [TorchSharp.torch.ScalarType.Int64] = Export("ompi_mpi_long_long_int"),
            [TorchSharp.torch.ScalarType.Byte] = Export("ompi_mpi_byte"),
        };
    }

    /// <summary>Loads the library and calls MPI_Init.</summary>
    public static OpenMpi Start(string launcher)
    {
        string name = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : DefaultLibrary;
        if (!NativeLibrary.TryLoad(name, out var library))
            throw new RoadException($"{launcher} started this run on the CPU, which needs Open MPI's {name}: install it (Debian: apt-get install openmpi-bin) or name it with {Variable}.");
        var mpi = new OpenMpi(library);
        Check(mpi._init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
        return mpi;
    }

    public int Rank
    {
        get
        {
            int rank;
            Check(_rank(_world, &rank), "MPI_Comm_rank");
            return rank;
        }
    }

    public int Size
    {
        get
        {
            int size;
            Check(_size(_world, &size), "MPI_Comm_size");
            return size;
        }
    }

    public IntPtr TypeOf(TorchSharp.torch.ScalarType type) => _types.TryGetValue(type, out var handle) ? handle
        : throw new RoadException($"Open MPI collectives here take float32, float64, int64 or byte tensors, not {type}.");

    public void AllReduceSum(IntPtr data, int count, IntPtr type) => Check(_allReduce(InPlace, data, count, type, _sum, _world), "MPI_Allreduce");

    public void Broadcast(IntPtr data, int count, IntPtr type, int root) => Check(_broadcast(data, count, type, root, _world), "MPI_Bcast");

    public void Abort() => _abort(_world, 1);

    public void End() => Check(_finalize(), "MPI_Finalize");

    // Open MPI's default error handler aborts the job before a call returns an error; this catches the rest.
    private static void Check(int code, string call)
    {
        if (code != 0) throw new RoadException($"{call} failed with Open MPI error code {code}.");
    }
}
