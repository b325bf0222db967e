using System.Diagnostics;
using Road.Distributed;
using Road.Encoders;
using static TorchSharp.torch;

namespace Road.Benchmarks;

/// <summary>One all-reduce benchmark: the backend, ranks, buffer size, time per all-reduce, and its algorithm and bus
/// bandwidths (bus = algorithm x 2 (N - 1) / N, NCCL's convention, comparable with nccl-tests and NVIDIA's figures).</summary>
public sealed record AllReduceResult(string Backend, int Ranks, string Device, long Elements, long Bytes, int Steps, double MillisecondsPerAllReduce,
    double AlgorithmGigabytesPerSecond, double BusGigabytesPerSecond);

/// <summary>
/// <c>./build.sh Benchmark --what allreduce [--nproc N | --gpus N --device cuda]</c>: times the one all-reduce a
/// data-parallel step makes, the sum of a flat float32 gradient across the run's ranks (by default ELECTRA-large's
/// size), through the same process group training uses.
/// </summary>
public static class AllReduceBenchmark
{
    /// <summary>The parameters of an encoder of this shape (embeddings, their projection when narrower, layers):
    /// what its flat gradient holds.</summary>
    public static long Parameters(EncoderConfig c)
    {
        long e = c.EmbeddingSize, h = c.HiddenSize, i = c.IntermediateSize;
        long embeddings = (c.VocabSize + c.MaxPositionEmbeddings + c.TypeVocabSize) * e + 2 * e + (e == h ? 0 : e * h + h);
        long layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
        return embeddings + c.NumHiddenLayers * layer;
    }

    public static AllReduceResult Run(IProcessGroup group, long elements, int warmup, int steps)
    {
        using var buffer = zeros(elements, dtype: ScalarType.Float32, device: group.Device);
        for (int s = 0; s < warmup; s++) group.AllReduceSum(buffer);
        Synchronize(buffer);
        group.Sum(0); // every rank starts the clock together
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++) group.AllReduceSum(buffer);
        Synchronize(buffer);
        double milliseconds = group.Sum(clock.Elapsed.TotalMilliseconds)[0] / group.Size / steps;
        long bytes = elements * 4;
        double algorithm = bytes / (milliseconds / 1000) / 1e9;
        return new AllReduceResult(group.Backend, group.Size, group.Device.ToString(), elements, bytes, steps, milliseconds, algorithm,
            algorithm * 2 * (group.Size - 1) / Math.Max(1, group.Size));
    }

    // Reading one element waits for the device's queue (the collectives run on the stream libtorch uses).
    private static void Synchronize(Tensor buffer) => buffer[0].item<float>();
}
