using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Encoders;

/// <summary>
/// An encoder that maps (input ids, attention mask, token types), each [batch, length], to hidden states
/// [batch, length, hidden]. Parameter names equal the HuggingFace checkpoint's names without the model prefix.
/// </summary>
public abstract class EncoderModel(string name, EncoderConfig config) : Module<Tensor, Tensor, Tensor, Tensor>(name)
{
    public EncoderConfig Config { get; } = config;

    /// <summary>Builds the encoder for <c>model_type</c> with fresh (seeded) weights.</summary>
    public static EncoderModel Create(EncoderConfig config) => config.ModelType switch
    {
        "electra" => new ElectraModel(config),
        _ => throw new RoadException($"model_type \"{config.ModelType}\" is not supported yet; Road reads electra checkpoints."),
    };
}
