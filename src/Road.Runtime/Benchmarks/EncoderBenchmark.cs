using System.Diagnostics;
using Road.Encoders;
using Road.Heads;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Benchmarks;

/// <summary>The figures of one encoder configuration: throughput, where a step's time goes, and memory.</summary>
public sealed record EncoderBenchmarkResult(
    string Model, string Device, string Precision, int BatchSize, int Length, int Steps,
    double MillisecondsPerStep, double ExamplesPerSecond,
    double ForwardMilliseconds, double BackwardMilliseconds, double OptimizerMilliseconds,
    long? PeakMemoryBytes, string MemorySource, long Parameters);

/// <summary>
/// Training-step throughput of an ELECTRA encoder with a span-extraction head and random weights and inputs: forward,
/// loss, backward, clipping and the AdamW update, as one SQuAD training step. After the timed steps, a few more are
/// timed phase by phase (synchronising between phases) to show where the time goes.
/// </summary>
public static class EncoderBenchmark
{
    /// <summary>The ELECTRA discriminators' shapes (HF's electra-base/large-discriminator config.json).</summary>
    public static EncoderConfig Preset(string name) => name switch
    {
        "base" => new EncoderConfig { VocabSize = 30522, EmbeddingSize = 768, HiddenSize = 768, NumHiddenLayers = 12, NumAttentionHeads = 12, IntermediateSize = 3072, MaxPositionEmbeddings = 512 },
        "large" => new EncoderConfig { VocabSize = 30522, EmbeddingSize = 1024, HiddenSize = 1024, NumHiddenLayers = 24, NumAttentionHeads = 16, IntermediateSize = 4096, MaxPositionEmbeddings = 512 },
        _ => throw new RoadException($"unknown model size \"{name}\"; use base or large."),
    };

    public static EncoderBenchmarkResult Run(string model, Device device, Precision precision, int batchSize, int length, int warmup, int steps)
    {
        torch.manual_seed(0);
        var config = Preset(model);
        var encoder = EncoderModel.Create(config);
        var head = new MrcHead(config.HiddenSize);
        encoder.to(device).to(precision.ComputeType());
        head.to(device).to(precision.ComputeType());
        var parameters = encoder.named_parameters().Select(p => (p.name, p.parameter)).Concat(head.named_parameters().Select(p => ("head." + p.name, p.parameter))).ToList();
        using var optimizer = new FlatAdamW(parameters, 1e-4, 0.01, precision);
        var ids = randint(0, config.VocabSize, [batchSize, length], device: device);
        var mask = ones_like(ids);
        var types = cat([zeros(batchSize, length / 4, dtype: ScalarType.Int64, device: device), ones(batchSize, length - length / 4, dtype: ScalarType.Int64, device: device)], 1);
        var start = randint(0, length, [batchSize], device: device);
        var end = randint(0, length, [batchSize], device: device);
        encoder.train();
        head.train();

        Tensor Forward()
        {
            var logits = head.forward(encoder.forward(ids, mask, types));
            return (nn.functional.cross_entropy(logits.Start.to(ScalarType.Float32), start) + nn.functional.cross_entropy(logits.End.to(ScalarType.Float32), end)) / 2;
        }

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            Forward().backward();
            optimizer.Step(1.0);
        }

        long? peak = null;
        for (int i = 0; i < warmup; i++) Step();
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            Step();
            if (device.type == DeviceType.CUDA) peak = Math.Max(peak ?? 0, DeviceMemory.CudaUsedBytes() ?? 0);
        }
        Synchronize(device);
        double msPerStep = clock.Elapsed.TotalMilliseconds / steps;

        // Phase by phase, synchronising in between (slower in total, but it shows the split).
        double forward = 0, backward = 0, update = 0;
        int phased = Math.Max(1, Math.Min(steps, 5));
        for (int i = 0; i < phased; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var t = Stopwatch.StartNew();
            var loss = Forward();
            Synchronize(device);
            forward += t.Elapsed.TotalMilliseconds;
            t.Restart();
            loss.backward();
            Synchronize(device);
            backward += t.Elapsed.TotalMilliseconds;
            t.Restart();
            optimizer.Step(1.0);
            Synchronize(device);
            update += t.Elapsed.TotalMilliseconds;
        }
        bool cuda = device.type == DeviceType.CUDA;
        return new EncoderBenchmarkResult(
            $"electra-{model}", cuda ? "cuda" : "cpu", precision == Precision.BFloat16 ? "bf16" : "fp32", batchSize, length, steps,
            msPerStep, batchSize * 1000.0 / msPerStep, forward / phased, backward / phased, update / phased,
            cuda ? peak : DeviceMemory.CpuPeakBytes(), cuda ? "NVML device memory used (includes the CUDA context)" : "process peak working set",
            parameters.Sum(p => p.Item2.numel()));
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }
}
