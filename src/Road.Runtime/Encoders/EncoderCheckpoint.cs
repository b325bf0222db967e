using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>
/// Loads and saves encoders in HuggingFace's checkpoint layout: a folder with <c>config.json</c> and
/// <c>model.safetensors</c>. Keys carry the model prefix (<c>electra.</c>) or none; pretraining heads are ignored;
/// every key and shape is checked, and all problems are reported in one message.
/// </summary>
public static class EncoderCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";

    public static EncoderModel Load(string folder)
    {
        string configPath = Path.Combine(folder, ConfigFile);
        string weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(configPath)) throw new RoadException($"{folder}: no {ConfigFile}; expected a HuggingFace checkpoint folder.");
        if (!File.Exists(weightsPath)) throw new RoadException($"{folder}: no {WeightsFile}; expected a HuggingFace checkpoint folder.");
        var encoder = EncoderModel.Create(EncoderConfig.Load(configPath));
        Dictionary<string, Tensor> stored;
        try
        {
            stored = Safetensors.LoadStateDict(weightsPath);
        }
        catch (Exception e) when (e is not RoadException)
        {
            throw new RoadException($"{weightsPath}: not a readable safetensors file ({e.Message}).");
        }
        try
        {
            CopyInto(encoder, stored, weightsPath);
        }
        finally
        {
            foreach (var t in stored.Values) t.Dispose();
        }
        return encoder;
    }

    public static void Save(EncoderModel encoder, string folder)
    {
        Directory.CreateDirectory(folder);
        encoder.Config.Save(Path.Combine(folder, ConfigFile));
        string prefix = encoder.Config.ModelType + ".";
        var named = encoder.state_dict().ToDictionary(kv => prefix + kv.Key, kv => kv.Value.detach().cpu().contiguous());
        AtomicFile.Write(Path.Combine(folder, WeightsFile), temp => Safetensors.SaveStateDict(temp, named));
    }

    private static void CopyInto(EncoderModel encoder, Dictionary<string, Tensor> stored, string path)
    {
        string prefix = encoder.Config.ModelType + ".";
        bool prefixed = stored.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
        // With a prefix, everything outside it is a pretraining head (discriminator_predictions, cls, ...).
        var mine = prefixed
            ? stored.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value)
            : stored;
        var expected = encoder.state_dict();
        var missing = expected.Keys.Where(k => !mine.ContainsKey(k)).ToList();
        var unexpected = mine.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var wrongShape = expected.Keys.Where(mine.ContainsKey)
            .Where(k => !expected[k].shape.SequenceEqual(mine[k].shape))
            .Select(k => $"{k}: checkpoint [{string.Join(", ", mine[k].shape)}], config expects [{string.Join(", ", expected[k].shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
            if (wrongShape.Count > 0) problems.Add("wrong shapes: " + string.Join("; ", wrongShape));
            throw new RoadException($"{path} does not fit its config.json ({encoder.Config.ModelType}): {string.Join(". ", problems)}.");
        }
        using var noGrad = no_grad();
        foreach (var (name, target) in expected) target.copy_(mine[name]);
    }
}
