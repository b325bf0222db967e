using static TorchSharp.torch;

namespace Road.Training;

/// <summary>The dtype the forward and backward run in; optimizer state and master weights are always float32.</summary>
public enum Precision
{
    Float32,
    BFloat16,
}

public static class PrecisionExtensions
{
    public static ScalarType ComputeType(this Precision precision) => precision == Precision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;

    public static Precision Parse(string text) => text.ToLowerInvariant() switch
    {
        "fp32" or "float32" => Precision.Float32,
        "bf16" or "bfloat16" => Precision.BFloat16,
        _ => throw new RoadException($"unknown precision \"{text}\"; use fp32 or bf16."),
    };
}
