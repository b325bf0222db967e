using System.Globalization;
using System.Text;
using Road.Tokenization;

namespace Road.Encoders;

/// <summary>
/// What <c>InspectCheckpoint</c> prints about a checkpoint folder, after loading it as a run would (every tensor's
/// bytes read, keys and shapes checked against config.json, every value finite): the architecture, the parameter
/// count, the dtypes stored, the tokenizer it will use and the keys it ignores.
/// </summary>
public sealed record CheckpointInspection(string Folder, EncoderConfig Config, long Parameters, bool Pooler,
    IReadOnlyDictionary<string, int> Dtypes, string Tokenizer, IReadOnlyList<IgnoredKey> Ignored)
{
    public static CheckpointInspection Of(string folder)
    {
        if (!Directory.Exists(folder)) throw new RoadException($"{folder}: no such checkpoint folder.");
        var loaded = EncoderCheckpoint.LoadWithReport(folder);
        using var encoder = loaded.Encoder;
        long parameters = encoder.parameters().Sum(p => p.numel());
        bool pooler = encoder.named_parameters().Any(p => p.name.StartsWith("pooler.", StringComparison.Ordinal));
        string tokenizer;
        try
        {
            tokenizer = TokenizerFiles.Load(folder).Description;
        }
        catch (RoadException e) when (e.Message.Contains("no tokenizer found", StringComparison.Ordinal))
        {
            tokenizer = "none in the folder; an experiment on it declares [Encoder(Vocabulary = ...)]";
        }
        return new CheckpointInspection(folder, loaded.Encoder.Config, parameters, pooler, loaded.StoredDtypes, tokenizer, loaded.Ignored);
    }

    public string ToText()
    {
        var c = Config;
        var text = new StringBuilder();
        text.AppendLine($"checkpoint    {Folder}");
        text.AppendLine(FormattableString.Invariant($"architecture  {c.ModelType}: {c.NumHiddenLayers} layers, hidden {c.HiddenSize}, {c.NumAttentionHeads} heads, intermediate {c.IntermediateSize}, embedding {c.EmbeddingSize}, {c.HiddenAct}"));
        if (c.ModelType == "albert") text.AppendLine(FormattableString.Invariant($"              {c.NumHiddenGroups} layer group(s) of {c.InnerGroupNum}, shared across layers"));
        text.AppendLine(FormattableString.Invariant($"              vocabulary {c.VocabSize}, {c.MaxPositionEmbeddings} positions, {c.TypeVocabSize} token types{(Pooler ? ", pooler" : "")}"));
        text.AppendLine($"parameters    {Parameters.ToString("N0", CultureInfo.InvariantCulture)}");
        text.AppendLine($"stored dtypes {string.Join(", ", Dtypes.OrderByDescending(d => d.Value).Select(d => $"{d.Key} ({d.Value} tensors)"))}");
        text.AppendLine($"tokenizer     {Tokenizer}");
        text.AppendLine($"ignored keys  {(Ignored.Count == 0 ? "none" : Ignored.Count.ToString(CultureInfo.InvariantCulture))}");
        foreach (var group in Ignored.GroupBy(k => k.Reason))
            text.AppendLine($"  {group.Key}: {string.Join(", ", group.Select(k => k.Key))}");
        return text.ToString();
    }
}
