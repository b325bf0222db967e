using Road.Encoders;
using Road.Pipeline;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>
/// The encoders of a run: the initial one, and the one each finished stage trained, kept in memory for the stages
/// that start from it and saved in HF layout under <c>stages/&lt;stage&gt;/encoder</c> (which a resumed run, or
/// transformers, can load).
/// </summary>
public sealed class EncoderStore(InitialEncoder initial, RunFolder folder)
{
    private readonly Dictionary<string, Dictionary<string, Tensor>> _trained = new(StringComparer.Ordinal);

    public InitialEncoder Initial { get; } = initial;

    /// <summary>A fresh copy of the initial encoder, or of the encoder stage <paramref name="from"/> trained.</summary>
    public EncoderModel Create(string experiment, string from = "")
    {
        var encoder = Initial.Create();
        if (from.Length == 0) return encoder;
        if (!_trained.TryGetValue(from, out var state))
            throw new RoadException($"experiment {experiment}: a stage starts from {from}, which has not run before it.");
        encoder.load_state_dict(state);
        return encoder;
    }

    /// <summary>Keeps a finished stage's encoder and saves it; its training checkpoint is no longer needed.</summary>
    public void Keep(string stage, EncoderModel encoder)
    {
        _trained[stage] = Snapshot(encoder);
        EncoderCheckpoint.Save(encoder, folder.File("stages", stage, "encoder"));
        string checkpoint = folder.File("stages", stage, "checkpoint");
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
    }

    /// <summary>Takes back the encoder a stage of an earlier, interrupted run saved.</summary>
    public void Restore(string stage)
    {
        string saved = folder.File("stages", stage, "encoder");
        if (Directory.Exists(saved)) _trained[stage] = Snapshot(EncoderCheckpoint.Load(saved));
    }

    private static Dictionary<string, Tensor> Snapshot(EncoderModel encoder) =>
        encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(ScalarType.Float32).cpu().clone());
}
