using System.Globalization;
using System.Text.RegularExpressions;
using Road.Encoders;
using Road.Pipeline;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>
/// The models of a run: the initial encoder, and the encoder (and, for a finetuning stage, the task head) each
/// finished stage trained, kept in memory for the stages that start from or evaluate it and saved under
/// <c>stages/&lt;stage&gt;/</c> (<c>encoder/</c> in HF layout with its tokenizer, which a resumed run or transformers
/// can load, and <c>head.safetensors</c>).
/// </summary>
public sealed class EncoderStore(InitialEncoder initial, RunFolder folder)
{
    private const string HeadFile = "head.safetensors";
    private readonly Dictionary<string, Dictionary<string, Tensor>> _trained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Tensor>> _heads = new(StringComparer.Ordinal);

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

    /// <summary>A fresh initial encoder that takes the embeddings and layers of the encoder stage <paramref name="teacher"/>
    /// trained: its layer i is the teacher's layer <c>layers[i]</c> (DistilBERT's start for a smaller student). The
    /// student must have the teacher's family and sizes but for its number of layers.</summary>
    public EncoderModel CreateFromLayers(string experiment, string teacher, IReadOnlyList<int> layers)
    {
        var encoder = Initial.Create();
        if (!_trained.TryGetValue(teacher, out var state))
            throw new RoadException($"experiment {experiment}: a stage starts from layers of {teacher}, which has not run before it.");
        if (layers.Count != encoder.Config.NumHiddenLayers)
            throw new RoadException($"experiment {experiment}: a stage takes {layers.Count} layers of {teacher} into an encoder of {encoder.Config.NumHiddenLayers}; name one teacher layer per student layer.");
        var taken = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, mine) in encoder.state_dict())
        {
            string source = LayerIndex.Replace(name, m => layers[int.Parse(m.Value, CultureInfo.InvariantCulture)].ToString(CultureInfo.InvariantCulture), 1);
            if (!state.TryGetValue(source, out var theirs))
                throw new RoadException($"experiment {experiment}: {teacher}'s encoder has no {source} for the student's {name}; a student starts from the layers of a teacher of its own family, below the teacher's number of layers.");
            if (!theirs.shape.SequenceEqual(mine.shape))
                throw new RoadException($"experiment {experiment}: the student's {name} is [{string.Join(", ", mine.shape)}] and {teacher}'s {source} [{string.Join(", ", theirs.shape)}]; a student that starts from a teacher's layers has the teacher's sizes and vocabulary but for its number of layers.");
            taken[name] = theirs;
        }
        encoder.load_state_dict(taken);
        return encoder;
    }

    // The layer number in a parameter's name (encoder.layer.3.attention...).
    private static readonly Regex LayerIndex = new(@"(?<=(^|\.)layer\.)\d+(?=\.)", RegexOptions.CultureInvariant);

    /// <summary>Keeps the encoder a teacher stage trained with its own store (<see cref="StageContext.For"/>), for the
    /// stages that start from its layers; the teacher's store saved it.</summary>
    public void Adopt(string stage, EncoderModel encoder) => _trained[stage] = Snapshot(encoder);

    /// <summary>A copy of the head finetuning stage <paramref name="stage"/> trained, shaped for <paramref name="task"/>.</summary>
    public nn.Module Head(string experiment, string stage, BoundTask task, EncoderConfig encoder)
    {
        if (!_heads.TryGetValue(stage, out var state))
            throw new RoadException($"experiment {experiment}: a stage evaluates the model of {stage}, which is not a finetuning stage that ran before it.");
        var head = TaskHeads.Create(task, encoder);
        var expected = head.state_dict();
        if (!expected.Keys.Order(StringComparer.Ordinal).SequenceEqual(state.Keys.Order(StringComparer.Ordinal))
            || expected.Any(kv => !kv.Value.shape.SequenceEqual(state[kv.Key].shape)))
            throw new RoadException($"experiment {experiment}: the head {stage} trained does not fit dataset {task.Spec.Name} ({task.Spec.Kind}); evaluate it on a dataset of its own task kind and labels.");
        head.load_state_dict(state);
        return head;
    }

    /// <summary>Keeps a finished stage's encoder (and head) and saves them; its training checkpoint is no longer needed.</summary>
    public void Keep(string stage, EncoderModel encoder, nn.Module? head = null)
    {
        _trained[stage] = Snapshot(encoder);
        if (head is not null) _heads[stage] = Snapshot(head);
        if (!folder.Writes) return;
        EncoderCheckpoint.Save(encoder, folder.File("stages", stage, "encoder"));
        Initial.Tokenizer.Save(folder.File("stages", stage, "encoder"));
        if (head is not null) AtomicFile.Write(folder.File("stages", stage, HeadFile), temp => Safetensors.SaveStateDict(temp, _heads[stage]));
        string checkpoint = folder.File("stages", stage, "checkpoint");
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
    }

    /// <summary>Takes back the encoder (and head) a stage of an earlier, interrupted run saved.</summary>
    public void Restore(string stage)
    {
        string saved = folder.File("stages", stage, "encoder");
        if (Directory.Exists(saved)) _trained[stage] = Snapshot(EncoderCheckpoint.Load(saved));
        string head = folder.File("stages", stage, HeadFile);
        if (File.Exists(head)) _heads[stage] = Safetensors.LoadStateDict(head);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(ScalarType.Float32).cpu().clone());
}
