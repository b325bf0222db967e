using Road.Benchmarks;
using Road.Distributed;
using Road.Encoders;

namespace Road.Tests;

/// <summary>The all-reduce benchmark's buffer is the flat gradient of the encoder it stands for.</summary>
public sealed class AllReduceBenchmarkTests
{
    [Fact]
    public void The_parameter_count_is_the_encoders_own()
    {
        var config = EncoderBenchmark.Preset("base");
        using var encoder = EncoderModel.Create(config);
        Assert.Equal(encoder.parameters().Sum(p => p.numel()), AllReduceBenchmark.Parameters(config));
        Assert.Equal(334_092_288, AllReduceBenchmark.Parameters(EncoderBenchmark.Preset("large"))); // ELECTRA-large, 1.34 GB in float32
    }

    [Fact]
    public void One_process_has_no_bus_traffic_to_time()
    {
        var result = AllReduceBenchmark.Run(SingleProcess.Instance, 1024, warmup: 1, steps: 2);
        Assert.Equal((1, 4096L, 0.0), (result.Ranks, result.Bytes, result.BusGigabytesPerSecond));
    }
}
