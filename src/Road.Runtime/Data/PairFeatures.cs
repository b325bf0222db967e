using Road.Tokenization;

namespace Road.Data;

/// <summary>The padded inputs of one sequence, as the encoder takes them.</summary>
public interface IEncoderInput
{
    long[] InputIds { get; }
    long[] TokenTypeIds { get; }
    long[] AttentionMask { get; }
}

/// <summary>A sentence pair (or a single text) as padded model inputs with its label.</summary>
public sealed record PairFeature(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask, int Label) : IEncoderInput;

/// <summary>Encodes pairs as <c>[CLS] first [SEP] second [SEP]</c>, trimming the longer side first to fit, and single texts.</summary>
public static class PairFeatureBuilder
{
    public static List<PairFeature> Build(IReadOnlyList<PairExample> examples, ITokenizer tokenizer, int maxLength) =>
        examples.Select(e => Encode(e, tokenizer, maxLength)).ToList();

    /// <summary>Single texts as <c>[CLS] text [SEP]</c> (sentiment), cut to fit.</summary>
    public static List<PairFeature> BuildSingle(IReadOnlyList<TextExample> examples, ITokenizer tokenizer, int maxLength) =>
        examples.Select(e =>
        {
            var tokens = tokenizer.Tokenize(e.Text).Take(maxLength - 2).ToList();
            var ids = new long[maxLength];
            var mask = new long[maxLength];
            ids[0] = tokenizer.ClsId;
            for (int i = 0; i < tokens.Count; i++) ids[i + 1] = tokens[i].Id;
            ids[tokens.Count + 1] = tokenizer.SepId;
            for (int i = 0; i < maxLength; i++)
            {
                mask[i] = i < tokens.Count + 2 ? 1 : 0;
                if (i >= tokens.Count + 2) ids[i] = tokenizer.PadId;
            }
            return new PairFeature(ids, new long[maxLength], mask, e.Label);
        }).ToList();

    private static PairFeature Encode(PairExample example, ITokenizer tokenizer, int maxLength)
    {
        var first = tokenizer.Tokenize(example.First).ToList();
        var second = tokenizer.Tokenize(example.Second).ToList();
        while (first.Count + second.Count > maxLength - 3)
        {
            var longer = first.Count >= second.Count ? first : second;
            longer.RemoveAt(longer.Count - 1);
        }
        var ids = new long[maxLength];
        var types = new long[maxLength];
        var mask = new long[maxLength];
        int p = 0;
        ids[p++] = tokenizer.ClsId;
        foreach (var t in first) ids[p++] = t.Id;
        ids[p++] = tokenizer.SepId;
        int secondStart = p;
        foreach (var t in second) ids[p++] = t.Id;
        ids[p++] = tokenizer.SepId;
        for (int i = 0; i < maxLength; i++)
        {
            mask[i] = i < p ? 1 : 0;
            types[i] = i >= secondStart && i < p ? 1 : 0;
            if (i >= p) ids[i] = tokenizer.PadId;
        }
        return new PairFeature(ids, types, mask, example.Label);
    }
}
