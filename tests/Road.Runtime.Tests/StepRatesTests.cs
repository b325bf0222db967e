using System.Text.Json;
using Road.Benchmarks;
using Road.Encoders;

namespace Road.Tests;

/// <summary>The step rates Preflight's time estimates come from: measured figures first, scaled by matmul work.</summary>
public sealed class StepRatesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-rates-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_reference_rate_of_a_measured_shape_is_its_own_and_other_shapes_scale_with_their_matmul_work()
    {
        var large = EncoderBenchmark.Preset("large");
        var albertXLarge = large with { ModelType = "albert", HiddenSize = 2048, IntermediateSize = 8192, EmbeddingSize = 128 };

        var (perToken, basis) = StepRates.PerToken(large, StepRates.H200Bf16);
        var (albert, albertBasis) = StepRates.PerToken(albertXLarge, StepRates.H200Bf16);

        Assert.Equal(81.5 / (32 * 384), perToken, 12);
        Assert.Equal("ELECTRA-large", basis.Model);
        // Hidden 2048 and intermediate 8192 quadruple every matmul of a layer: four times ELECTRA-large's rate.
        Assert.Equal(4 * perToken, albert, 12);
        Assert.Equal("ELECTRA-large", albertBasis.Model);
        Assert.Equal("ELECTRA-base", StepRates.PerToken(EncoderBenchmark.Preset("base"), StepRates.H200Bf16).Basis.Model);
    }

    [Fact]
    public void Figures_the_benchmark_wrote_for_the_device_and_precision_replace_the_reference()
    {
        var measured = new[] { new EncoderBenchmarkResult("electra-large", "cuda", "bf16", 32, 384, 20, 64.0, 500, 20, 40, 4, 12L << 30, "NVML", 335_000_000) };
        File.WriteAllText(Path.Combine(_folder, "encoder-cuda-bf16.json"), JsonSerializer.Serialize(measured));

        var rates = StepRates.Load(_folder, "cuda", "bf16");

        var rate = Assert.Single(rates);
        Assert.Equal(64.0, rate.MillisecondsPerStep);
        Assert.StartsWith("measured here", rate.Source);
        Assert.Same(StepRates.H200Bf16, StepRates.Load(_folder, "cuda", "fp32"));
    }
}
