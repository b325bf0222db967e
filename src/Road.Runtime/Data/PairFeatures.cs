using Road.Tokenization;

namespace Road.Data;

/// <summary>The inputs of one sequence, as the encoder takes them: its ids without padding, and where its second
/// segment (token type 1) begins; batches pad to their longest sequence.</summary>
public interface IEncoderInput
{
    CompactIds Ids { get; }

    /// <summary>The position token type 1 starts at; the length for a single segment.</summary>
    int SecondSegment { get; }
}

/// <summary>A sentence pair (or a single text) as model inputs with its label.</summary>
public sealed record PairFeature(CompactIds Ids, int SecondSegment, int Label) : IEncoderInput;

/// <summary>Encodes pairs as <c>[CLS] first [SEP] second [SEP]</c>, trimming the longer side first to fit, and single
/// texts as <c>[CLS] text [SEP]</c>, in parallel; the output does not depend on the number of threads.</summary>
public static class PairFeatureBuilder
{
    public static List<PairFeature> Build(IReadOnlyList<PairExample> examples, ITokenizer tokenizer, int maxLength, int? threads = null) =>
        InParallel(examples.Count, threads, i => Encode(examples[i], tokenizer, maxLength));

    public static List<PairFeature> BuildSingle(IReadOnlyList<TextExample> examples, ITokenizer tokenizer, int maxLength, int? threads = null) =>
        InParallel(examples.Count, threads, i =>
        {
            var tokens = tokenizer.Tokenize(examples[i].Text);
            int length = Math.Min(tokens.Count, maxLength - 2);
            var ids = new int[length + 2];
            ids[0] = tokenizer.ClsId;
            for (int t = 0; t < length; t++) ids[t + 1] = tokens[t].Id;
            ids[^1] = tokenizer.SepId;
            return new PairFeature(CompactIds.From(ids, tokenizer.VocabularySize), ids.Length, examples[i].Label);
        });

    private static PairFeature Encode(PairExample example, ITokenizer tokenizer, int maxLength)
    {
        var first = tokenizer.Tokenize(example.First).ToList();
        var second = tokenizer.Tokenize(example.Second).ToList();
        while (first.Count + second.Count > maxLength - 3)
        {
            var longer = first.Count >= second.Count ? first : second;
            longer.RemoveAt(longer.Count - 1);
        }
        var ids = new List<int>(first.Count + second.Count + 3) { tokenizer.ClsId };
        ids.AddRange(first.Select(t => t.Id));
        ids.Add(tokenizer.SepId);
        int secondStart = ids.Count;
        ids.AddRange(second.Select(t => t.Id));
        ids.Add(tokenizer.SepId);
        return new PairFeature(CompactIds.From(ids.ToArray(), tokenizer.VocabularySize), secondStart, example.Label);
    }

    private static List<PairFeature> InParallel(int count, int? threads, Func<int, PairFeature> encode)
    {
        var features = new PairFeature[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, i => features[i] = encode(i));
        return [.. features];
    }
}
