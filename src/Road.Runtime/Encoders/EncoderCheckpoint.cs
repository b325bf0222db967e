using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>A checkpoint key the loader leaves out, and why (HF leaves out the same ones).</summary>
public sealed record IgnoredKey(string Key, string Reason);

/// <summary>An encoder read from a checkpoint folder, with what the folder held that the encoder does not use.</summary>
public sealed record LoadedEncoder(EncoderModel Encoder, IReadOnlyList<IgnoredKey> Ignored, IReadOnlyDictionary<string, int> StoredDtypes);

/// <summary>
/// Loads and saves encoders in HuggingFace's checkpoint layout: a folder with <c>config.json</c> and weights. Keys
/// carry the model prefix (<c>bert.</c>, <c>electra.</c>, <c>albert.</c>) or none; legacy <c>LayerNorm.gamma</c> and
/// <c>beta</c> names are mapped; what HF ignores on load (the <c>position_ids</c> and <c>token_type_ids</c> buffers,
/// pretraining and task heads, ELECTRA's generator) is left out and listed; every other key and every shape is
/// checked, every value must be finite, and all problems are reported in one message.
/// </summary>
public static class EncoderCheckpoint
{
    public const string ConfigFile = "config.json";

    public static EncoderModel Load(string folder) => LoadWithReport(folder).Encoder;

    public static LoadedEncoder LoadWithReport(string folder)
    {
        var config = ReadConfig(folder);
        var stored = CheckpointWeights.Read(folder);
        try
        {
            var (mine, ignored) = EncoderKeys(config, stored);
            bool pooler = mine.Keys.Any(k => k.StartsWith("pooler.", StringComparison.Ordinal));
            var encoder = ModuleWeights.OnMeta(meta => EncoderModel.Create(config, pooler, meta));
            Check(encoder, mine, folder);
            var dtypes = stored.Values.GroupBy(t => t.dtype.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count());
            ModuleWeights.Assign(encoder, mine);
            return new LoadedEncoder(encoder, ignored, dtypes);
        }
        finally
        {
            // What Assign kept moved into the parameters and is empty here; the rest is freed.
            foreach (var t in stored.Values) t.Dispose();
        }
    }

    /// <summary>The folder's <c>config.json</c>, which must exist.</summary>
    public static EncoderConfig ReadConfig(string folder)
    {
        string configPath = Path.Combine(folder, ConfigFile);
        if (!File.Exists(configPath)) throw new RoadException($"{folder}: no {ConfigFile}; expected a HuggingFace checkpoint folder.");
        return EncoderConfig.Load(configPath);
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

    // The encoder's own keys (prefix removed, legacy names mapped) and the keys left out with their reasons.
    private static (Dictionary<string, Tensor> Mine, List<IgnoredKey> Ignored) EncoderKeys(EncoderConfig config, Dictionary<string, Tensor> stored)
    {
        string prefix = config.ModelType + ".";
        bool prefixed = stored.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
        var mine = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var ignored = new List<IgnoredKey>();
        foreach (var (key, tensor) in stored.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            bool outside = prefixed && !key.StartsWith(prefix, StringComparison.Ordinal);
            string name = prefixed && !outside ? key[prefix.Length..] : key;
            if (IgnoredReason(name, outside, config.ModelType) is { } reason)
            {
                ignored.Add(new IgnoredKey(key, reason));
                continue;
            }
            if (name.EndsWith(".gamma", StringComparison.Ordinal)) name = name[..^".gamma".Length] + ".weight";
            else if (name.EndsWith(".beta", StringComparison.Ordinal)) name = name[..^".beta".Length] + ".bias";
            mine[name] = tensor;
        }
        return (mine, ignored);
    }

    private static readonly string[] Buffers = ["embeddings.position_ids", "embeddings.token_type_ids"];

    private static readonly string[] HeadPrefixes =
        ["cls.", "predictions.", "discriminator_predictions.", "sop_classifier.", "qa_outputs.", "classifier.", "lm_head."];

    private static readonly string[] GeneratorPrefixes = ["generator.", "generator_predictions.", "generator_lm_head."];

    // What transformers ignores when it loads the base model: buffers it rebuilds, heads of other models, and, in
    // combined ELECTRA checkpoints, the generator. A bare key that is none of these is the checkpoint's problem.
    private static string? IgnoredReason(string name, bool outsidePrefix, string modelType)
    {
        if (Buffers.Contains(name)) return "buffer transformers rebuilds";
        if (GeneratorPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) return "ELECTRA generator";
        if (HeadPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) return "pretraining or task head";
        return outsidePrefix ? $"outside the {modelType}. encoder" : null;
    }

    private static void Check(EncoderModel encoder, Dictionary<string, Tensor> mine, string folder)
    {
        var expected = encoder.state_dict();
        var missing = expected.Keys.Where(k => !mine.ContainsKey(k)).ToList();
        var unexpected = mine.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var wrongShape = expected.Keys.Where(mine.ContainsKey)
            .Where(k => !expected[k].shape.SequenceEqual(mine[k].shape))
            .Select(k => $"{k}: checkpoint [{string.Join(", ", mine[k].shape)}], config.json implies [{string.Join(", ", expected[k].shape)}]")
            .ToList();
        var notFinite = expected.Keys.Where(mine.ContainsKey).Where(k => !ModuleWeights.AllFinite(mine[k])).ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count + notFinite.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
            if (wrongShape.Count > 0) problems.Add("wrong shapes: " + string.Join("; ", wrongShape));
            if (notFinite.Count > 0) problems.Add("NaN or infinite values in: " + string.Join(", ", notFinite));
            throw new RoadException($"{folder}: the weights do not load into the {encoder.Config.ModelType} encoder config.json describes: {string.Join(". ", problems)}.");
        }
    }
}
