using static TorchSharp.torch;

namespace Road.Distributed;

/// <summary>
/// The processes of one data-parallel run. Every rank runs the same stage graph with the same seeds on a replica of
/// the model; the training loops give each rank its share of every global batch and sum the gradients across ranks
/// through this group before the update, so every rank takes the same step. Rank 0 alone writes the run folder.
/// </summary>
public interface IProcessGroup : IDisposable
{
    int Rank { get; }

    int Size { get; }

    /// <summary>What carries the collectives: "one process", "Open MPI", "NCCL".</summary>
    string Backend { get; }

    /// <summary>Where the tensors handed to the collectives must live.</summary>
    Device Device { get; }

    /// <summary>Replaces a contiguous tensor with its element-wise sum over every rank.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Replaces a contiguous tensor with rank <paramref name="root"/>'s.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Ends every rank of the run now, with exit code 1: how a rank that failed alone brings the others
    /// down instead of leaving them waiting in a collective.</summary>
    void Abort();
}

/// <summary>A run of one process: collectives are the identity.</summary>
public sealed class SingleProcess : IProcessGroup
{
    public static SingleProcess Instance { get; } = new();

    private SingleProcess()
    {
    }

    public int Rank => 0;
    public int Size => 1;
    public string Backend => "one process";
    public Device Device => CPU;

    public void AllReduceSum(Tensor tensor)
    {
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
    }

    public void Abort() => Environment.Exit(1);

    public void Dispose()
    {
    }
}
