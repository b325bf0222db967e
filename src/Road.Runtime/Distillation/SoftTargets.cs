using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Distillation;

/// <summary>
/// One teacher's outputs over a dataset's training features, by output name ("logits" for classification; "start",
/// "end" and "answerable" for MRC), each [features, ...]. Stored in bf16 safetensors (half of float32; logits need no
/// more precision) with a provenance file naming the teacher, its seed, its dev metrics and the features' cache key.
/// They are held in bf16 in memory too, so a student reads the same targets whether its teachers ran in this process
/// or in an earlier one (a resumed run).
/// </summary>
public sealed class SoftTargets(IReadOnlyDictionary<string, Tensor> outputs)
{
    public IReadOnlyDictionary<string, Tensor> Outputs { get; } =
        outputs.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.BFloat16).cpu().contiguous());

    /// <summary>The rows of one output for a batch of feature indices, as float32 on a device.</summary>
    public Tensor Rows(string output, IReadOnlyList<int> batch, Device device) =>
        Outputs[output].index_select(0, tensor(batch.Select(i => (long)i).ToArray())).to(ScalarType.Float32).to(device);

    public void Save(string path, IReadOnlyDictionary<string, object> provenance)
    {
        AtomicFile.Write(path, temp => Safetensors.SaveStateDict(temp, Outputs.ToDictionary(kv => kv.Key, kv => kv.Value)));
        AtomicFile.WriteAllText(Path.ChangeExtension(path, ".json"), JsonSerializer.Serialize(provenance, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static SoftTargets Load(string path)
    {
        Road.Encoders.SafetensorsHeader.Validate(path);
        return new SoftTargets(Safetensors.LoadStateDict(path));
    }
}
