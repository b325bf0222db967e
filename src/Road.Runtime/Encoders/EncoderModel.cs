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

    /// <summary>The pooled [CLS] representation ([batch, hidden]) for encoders with a pooler; null otherwise.</summary>
    public virtual Tensor? Pool(Tensor lastHiddenState) => null;

    /// <summary>Builds the encoder for <c>model_type</c> with fresh weights; the pooler only where asked (BERT, ALBERT).</summary>
    /// <param name="device">where the parameters are made (the default device when null); <c>meta</c> gives shapes
    /// without values, for <see cref="ModuleWeights.Assign"/> to fill with a checkpoint's tensors</param>
    public static EncoderModel Create(EncoderConfig config, bool withPooler = false, Device? device = null) => config.ModelType switch
    {
        "electra" => new ElectraModel(config, device),
        "bert" => new BertModel(config, withPooler, device),
        "albert" => new AlbertModel(config, withPooler, device),
        _ => throw new RoadException($"model_type \"{config.ModelType}\" is not supported; Road reads electra, bert and albert checkpoints."),
    };

    /// <summary>The padding mask as SDPA wants it: bool [batch, 1, 1, length], true where a key may be attended to.</summary>
    protected static Tensor AttendMask(Tensor attentionMask) => attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2);
}
