using TorchSharp;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>BERT's initialisation for weights trained from scratch: normal(0, 0.02) weights, zero biases, unit LayerNorm.</summary>
public static class WeightInitialization
{
    public const double Std = 0.02;

    /// <summary>Re-draws every parameter from the current torch generator, so a seeded run starts from the same weights.</summary>
    public static void Apply(nn.Module module)
    {
        using var noGrad = no_grad();
        // A Scalar freed here, not by a finalizer that could run during the native call (Road.Training.ScalarMath).
        using var one = 1.0.ToScalar();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)) parameter.fill_(one);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0, Std);
        }
    }
}
