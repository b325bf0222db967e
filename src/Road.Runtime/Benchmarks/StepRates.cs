using System.Text.Json;
using Road.Encoders;

namespace Road.Benchmarks;

/// <summary>A measured training step: which encoder shape, how long, over how many tokens, measured where.</summary>
public sealed record StepRate(string Model, long ComputeParameters, double MillisecondsPerStep, int BatchSize, int Length, string Source)
{
    public double MillisecondsPerToken => MillisecondsPerStep / ((double)BatchSize * Length);
}

/// <summary>
/// The step rates Preflight estimates stage times from: the figures <c>./build.sh Benchmark --what encoder</c> wrote for
/// this device and precision when they exist, else Road's own measurements on one NVIDIA H200 in bf16 (the README's).
/// A shape between or beyond them is scaled from the nearest by the matmul work per token, layers * (4h^2 + 2hi).
/// </summary>
public static class StepRates
{
    /// <summary>ELECTRA's SQuAD training step (batch 32, length 384, AdamW, clipping), Road on one H200, bf16 compute
    /// with float32 master weights, 2026-11 (README "On a GPU box").</summary>
    public static IReadOnlyList<StepRate> H200Bf16 { get; } =
    [
        new("ELECTRA-base", ComputeParameters(EncoderBenchmark.Preset("base")), 30.5, 32, 384, "Road on one NVIDIA H200, bf16 (README)"),
        new("ELECTRA-large", ComputeParameters(EncoderBenchmark.Preset("large")), 81.5, 32, 384, "Road on one NVIDIA H200, bf16 (README)"),
    ];

    /// <summary>The matmul work of one token through the encoder, in multiply-adds per token: layers * (4h^2 + 2hi).</summary>
    public static long ComputeParameters(EncoderConfig c) =>
        c.NumHiddenLayers * (4L * c.HiddenSize * c.HiddenSize + 2L * c.HiddenSize * c.IntermediateSize);

    /// <summary>The measured figures in <c>{benchmarks}/encoder-{device}-{precision}.json</c>, else the H200 reference.</summary>
    public static IReadOnlyList<StepRate> Load(string benchmarks, string device, string precision)
    {
        string file = Path.Combine(benchmarks, $"encoder-{device}-{precision}.json");
        if (!File.Exists(file)) return H200Bf16;
        try
        {
            var results = JsonSerializer.Deserialize<List<EncoderBenchmarkResult>>(File.ReadAllText(file)) ?? [];
            var rates = results.Select(r => new StepRate(r.Model, ComputeParameters(EncoderBenchmark.Preset(r.Model.Replace("electra-", "", StringComparison.Ordinal))),
                r.MillisecondsPerStep, r.BatchSize, r.Length, $"measured here ({file})")).ToList();
            return rates.Count > 0 ? rates : H200Bf16;
        }
        catch (JsonException e)
        {
            throw new RoadException($"{file}: not a benchmark file Road wrote ({e.Message}); delete it or run ./build.sh Benchmark again.");
        }
    }

    /// <summary>Milliseconds per trained token for an encoder of this shape, from the nearest measured shape.</summary>
    public static (double Milliseconds, StepRate Basis) PerToken(EncoderConfig config, IReadOnlyList<StepRate> rates)
    {
        long work = ComputeParameters(config);
        var nearest = rates.MinBy(r => Math.Abs(Math.Log((double)r.ComputeParameters / work)))!;
        return (nearest.MillisecondsPerToken * work / nearest.ComputeParameters, nearest);
    }
}
