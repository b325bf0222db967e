using System.Text;
using static TorchSharp.torch;

namespace Road.Distributed;

/// <summary>Collectives on host values, through the group's tensors, and how a batch is shared out.</summary>
public static class ProcessGroupExtensions
{
    /// <summary>Whether this rank writes the run folder, checkpoints and reports (rank 0).</summary>
    public static bool Writes(this IProcessGroup group) => group.Rank == 0;

    /// <summary>The element-wise sums over every rank of <paramref name="values"/>.</summary>
    public static double[] Sum(this IProcessGroup group, params double[] values)
    {
        if (group.Size == 1) return values;
        using var scope = NewDisposeScope();
        var buffer = tensor(values, dtype: ScalarType.Float64).to(group.Device);
        group.AllReduceSum(buffer);
        return buffer.cpu().data<double>().ToArray();
    }

    /// <summary>Rank 0's text on every rank (the others pass anything, null included).</summary>
    public static string BroadcastText(this IProcessGroup group, string? text)
    {
        if (group.Size == 1) return text ?? "";
        using var scope = NewDisposeScope();
        byte[] bytes = Encoding.UTF8.GetBytes(group.Rank == 0 ? text ?? "" : "");
        var length = tensor(new long[] { bytes.Length }).to(group.Device);
        group.Broadcast(length);
        var buffer = zeros(length.cpu().item<long>(), dtype: ScalarType.Byte);
        if (group.Rank == 0) buffer = tensor(bytes);
        buffer = buffer.to(group.Device);
        group.Broadcast(buffer);
        return Encoding.UTF8.GetString(buffer.cpu().data<byte>().ToArray());
    }

    /// <summary>With several ranks, reseeds libtorch's generator for this rank before a training loop's first step,
    /// so that ranks draw different dropout masks (the replicas were initialised from one seed; rank 0's weights
    /// are then broadcast). One process keeps the stage's generator untouched.</summary>
    public static void SeedDropout(this IProcessGroup group, int seed, int step)
    {
        if (group.Size > 1) TorchSharp.torch.manual_seed(seed + 1_000_003L * (group.Rank + 1) + step);
    }

    /// <summary>This rank's contiguous share of a global batch: sizes differ by at most one, earlier ranks larger;
    /// a rank's share is empty when the batch has fewer items than ranks.</summary>
    public static ArraySegment<T> Share<T>(this IProcessGroup group, T[] batch) => Part(batch, group.Rank, group.Size);

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> contiguous parts of <paramref name="items"/>,
    /// sizes differing by at most one, earlier parts larger.</summary>
    public static ArraySegment<T> Part<T>(T[] items, int part, int parts)
    {
        int quotient = items.Length / parts, remainder = items.Length % parts;
        int start = part * quotient + Math.Min(part, remainder);
        return new ArraySegment<T>(items, start, quotient + (part < remainder ? 1 : 0));
    }
}
