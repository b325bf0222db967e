using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>
/// Loads and saves encoders in HuggingFace's checkpoint layout: a folder with <c>config.json</c> and weights. Keys
/// carry the model prefix (<c>bert.</c>, <c>electra.</c>, <c>albert.</c>) or none; legacy <c>LayerNorm.gamma</c> and
/// <c>beta</c> names are mapped; pretraining heads are ignored; every key and shape is checked, and all problems are
/// reported in one message.
/// </summary>
public static class EncoderCheckpoint
{
    public const string ConfigFile = "config.json";

    public static EncoderModel Load(string folder)
    {
        string configPath = Path.Combine(folder, ConfigFile);
        if (!File.Exists(configPath)) throw new RoadException($"{folder}: no {ConfigFile}; expected a HuggingFace checkpoint folder.");
        var config = EncoderConfig.Load(configPath);
        var stored = CheckpointWeights.Read(folder);
        try
        {
            var mine = EncoderKeys(config, stored);
            var encoder = EncoderModel.Create(config, withPooler: mine.Keys.Any(k => k.StartsWith("pooler.", StringComparison.Ordinal)));
            CopyInto(encoder, mine, folder);
            return encoder;
        }
        finally
        {
            foreach (var t in stored.Values) t.Dispose();
        }
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> with HF's key names, prefix included.</summary>
    public static void Save(EncoderModel encoder, string folder)
    {
        Directory.CreateDirectory(folder);
        encoder.Config.Save(Path.Combine(folder, ConfigFile));
        string prefix = encoder.Config.ModelType + ".";
        var named = encoder.state_dict().ToDictionary(kv => prefix + kv.Key, kv => kv.Value.detach().to(ScalarType.Float32).cpu().contiguous());
        AtomicFile.Write(Path.Combine(folder, CheckpointWeights.Safetensors), temp => Safetensors.SaveStateDict(temp, named));
    }

    // The encoder's own keys: prefix removed (everything outside it is a pretraining head), legacy names mapped.
    private static Dictionary<string, Tensor> EncoderKeys(EncoderConfig config, Dictionary<string, Tensor> stored)
    {
        string prefix = config.ModelType + ".";
        bool prefixed = stored.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
        var mine = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in stored)
        {
            if (prefixed && !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string name = prefixed ? key[prefix.Length..] : key;
            if (name.EndsWith(".gamma", StringComparison.Ordinal)) name = name[..^".gamma".Length] + ".weight";
            else if (name.EndsWith(".beta", StringComparison.Ordinal)) name = name[..^".beta".Length] + ".bias";
            mine[name] = tensor;
        }
        return mine;
    }

    private static void CopyInto(EncoderModel encoder, Dictionary<string, Tensor> mine, string folder)
    {
        var expected = encoder.state_dict();
        var missing = expected.Keys.Where(k => !mine.ContainsKey(k)).ToList();
        // Without a prefix, a bare checkpoint may still carry heads of its own (cls., predictions., ...): ignore what
        // is neither ours nor shaped like ours only when it is a known head; anything else is unexpected.
        var unexpected = mine.Keys.Where(k => !expected.ContainsKey(k) && !IsPretrainingHead(k)).ToList();
        var wrongShape = expected.Keys.Where(mine.ContainsKey)
            .Where(k => !expected[k].shape.SequenceEqual(mine[k].shape))
            .Select(k => $"{k}: checkpoint [{string.Join(", ", mine[k].shape)}], config.json implies [{string.Join(", ", expected[k].shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
            if (wrongShape.Count > 0) problems.Add("wrong shapes: " + string.Join("; ", wrongShape));
            throw new RoadException($"{folder}: the weights do not fit config.json ({encoder.Config.ModelType}): {string.Join(". ", problems)}.");
        }
        using var noGrad = no_grad();
        foreach (var (name, target) in expected) target.copy_(mine[name]);
    }

    private static readonly string[] HeadPrefixes = ["cls.", "predictions.", "discriminator_predictions.", "generator_predictions.", "generator_lm_head.", "sop_classifier.", "qa_outputs.", "classifier."];

    private static bool IsPretrainingHead(string key) => HeadPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));
}
