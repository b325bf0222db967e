using Road.Data;
using Road.Pipeline;

namespace Road.Stages;

/// <summary>
/// The model inputs of every dataset and split, built once per run and shared by every stage (teachers, pretraining,
/// finetuning, evaluation); across runs they come from the disk cache, keyed by tokenizer, settings and data identity.
/// A teacher of another tokenizer reads features of its own (<paramref name="tokenizer"/>; the run's when null).
/// </summary>
public sealed class FeatureStore(DataCatalog data, Road.Tokenization.ITokenizer? tokenizer = null)
{
    private readonly Road.Tokenization.ITokenizer _tokenizer = tokenizer ?? data.Tokenizer;

    private readonly Dictionary<string, List<MrcFeature>> _mrc = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PairFeature>> _classes = new(StringComparer.Ordinal);

    /// <summary>The MRC windows of a split ("train" or "dev").</summary>
    public List<MrcFeature> Mrc(BoundTask task, string split)
    {
        var windows = new MrcWindowSettings(task.Spec.MaxLength, task.Spec.Stride, task.Spec.MaxQueryLength);
        var examples = split == "train" ? task.Mrc!.Train : task.Mrc!.Dev;
        return Memo(_mrc, [_tokenizer.Fingerprint, windows.ToString(), data.Identity(task.Spec, split)],
            key => data.Cache.Mrc(key, () => MrcFeatureBuilder.Build(examples, _tokenizer, windows)));
    }

    /// <summary>Sentence pairs (NLI, paraphrase) or single texts (sentiment) of a split, as classification features.</summary>
    public List<PairFeature> Classes(BoundTask task, string split)
    {
        string settings = $"max length {task.Spec.MaxLength} {(task.Texts is null ? "pairs" : "single")}";
        return Memo(_classes, [_tokenizer.Fingerprint, settings, data.Identity(task.Spec, split)], key => data.Cache.Pairs(key, () => task.Texts is { } texts
            ? PairFeatureBuilder.BuildSingle(split == "train" ? texts.Train : texts.Dev, _tokenizer, task.Spec.MaxLength)
            : PairFeatureBuilder.Build(split == "train" ? task.Pairs!.Train : task.Pairs!.Dev, _tokenizer, task.Spec.MaxLength)));
    }

    /// <summary>How many features a split makes (windows for MRC).</summary>
    public int Count(BoundTask task, string split) => task.Mrc is not null ? Mrc(task, split).Count : Classes(task, split).Count;

    /// <summary>A split's features and their tokens, each feature rounded up to a multiple of 8 as batches pad them.</summary>
    public (long Count, long Tokens) Size(BoundTask task, string split)
    {
        IReadOnlyList<IEncoderInput> inputs = task.Mrc is not null ? Mrc(task, split) : Classes(task, split);
        return (inputs.Count, inputs.Sum(f => (long)((f.Ids.Length + 7) / 8 * 8)));
    }

    private static List<T> Memo<T>(Dictionary<string, List<T>> memo, string[] key, Func<string[], List<T>> load)
    {
        string id = string.Join("\n", key);
        if (!memo.TryGetValue(id, out var features)) memo[id] = features = load(key);
        return features;
    }
}
