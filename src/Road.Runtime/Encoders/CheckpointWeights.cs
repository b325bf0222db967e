using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>
/// Reads the weights of a HuggingFace checkpoint folder, whichever way it stores them: <c>model.safetensors</c>,
/// <c>pytorch_model.bin</c> (unpickled by TorchSharp.PyBridge), or shards listed in <c>*.index.json</c>.
/// </summary>
public static class CheckpointWeights
{
    public const string Safetensors = "model.safetensors";
    public const string PickledWeights = "pytorch_model.bin";

    private static readonly string[] Candidates = [Safetensors, Safetensors + ".index.json", PickledWeights, PickledWeights + ".index.json"];

    public static Dictionary<string, Tensor> Read(string folder)
    {
        string? file = Candidates.Select(c => Path.Combine(folder, c)).FirstOrDefault(File.Exists)
            ?? throw new RoadException($"{folder}: no weights; expected one of {string.Join(", ", Candidates)}.");
        return file.EndsWith(".index.json", StringComparison.Ordinal) ? ReadSharded(file) : ReadFile(file);
    }

    public static Dictionary<string, Tensor> ReadFile(string path)
    {
        if (path.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            SafetensorsHeader.Validate(path);
            return TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
        }
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not RoadException and not OutOfMemoryException)
        {
            throw new RoadException($"{path}: not a readable PyTorch state dict ({e.GetType().Name}: {e.Message}); the file may be truncated.");
        }
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Value is Tensor t) weights[(string)entry.Key] = t;
        }
        return weights;
    }

    private static Dictionary<string, Tensor> ReadSharded(string index)
    {
        Dictionary<string, string> map;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            if (!document.RootElement.TryGetProperty("weight_map", out var weightMap) || weightMap.ValueKind != JsonValueKind.Object)
                throw new RoadException($"{index}: $.weight_map is missing; expected {{\"weight_map\": {{\"name\": \"shard file\"}}}}.");
            map = weightMap.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? throw new RoadException($"{index}: $.weight_map[\"{p.Name}\"] is not a file name."));
        }
        catch (JsonException e)
        {
            throw new RoadException($"{index}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        string folder = Path.GetFullPath(Path.GetDirectoryName(index)!);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var shard in map.Values.Distinct().Order(StringComparer.Ordinal))
        {
            string path = Path.GetFullPath(Path.Combine(folder, shard));
            // An index is data, not a path to follow anywhere: shards sit in the checkpoint folder.
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new RoadException($"{index} names shard {shard}, outside the checkpoint folder; shards must be files in {folder}.");
            if (!File.Exists(path)) throw new RoadException($"{index} names shard {shard}, which is not in {folder}.");
            foreach (var (name, tensor) in ReadFile(path)) weights[name] = tensor;
        }
        var absent = map.Keys.Where(k => !weights.ContainsKey(k)).Take(5).ToList();
        if (absent.Count > 0) throw new RoadException($"{index}: the shards lack {string.Join(", ", absent)}.");
        return weights;
    }
}
