using Road.Tokenization;

namespace Road.Data;

/// <summary>
/// How questions and contexts become model inputs. <see cref="Stride"/> follows HuggingFace's meaning: the number of
/// context tokens two neighbouring windows share (the original BERT scripts' "doc_stride" is instead the distance
/// between window starts, which here is <c>contextTokensPerWindow - Stride</c>). Windows cover the whole context.
/// <see cref="ContextLimitedToMaxLength"/> reproduces what transformers 5.17's run_qa.py does instead (checked against
/// its output in tests/…/squad-windows-hf.json): the context is first cut to <c>MaxLength</c> tokens, so windows never
/// reach past them. It exists to show parity with that output, not for training.
/// </summary>
public sealed record MrcWindowSettings(int MaxLength = RoadDefaults.MrcMaxLength, int Stride = RoadDefaults.Stride, int MaxQueryLength = RoadDefaults.MaxQueryLength, bool ContextLimitedToMaxLength = false);

/// <summary>A context tokenized once for every question asked of it: token ids, and each token's [start, end) in the
/// original text.</summary>
public sealed class ContextTokens(int[] ids, int[] starts, int[] ends)
{
    public int Count => ids.Length;
    public int Id(int token) => ids[token];
    public (int Start, int End) Offset(int token) => (starts[token], ends[token]);

    public static ContextTokens Of(IReadOnlyList<TokenSpan> tokens) =>
        new(tokens.Select(t => t.Id).ToArray(), tokens.Select(t => t.Start).ToArray(), tokens.Select(t => t.End).ToArray());

    internal void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        for (int i = 0; i < Count; i++)
        {
            writer.Write(ids[i]);
            writer.Write(starts[i]);
            writer.Write(ends[i]);
        }
    }

    internal static ContextTokens Read(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var (ids, starts, ends) = (new int[count], new int[count], new int[count]);
        for (int i = 0; i < count; i++) (ids[i], starts[i], ends[i]) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        return new ContextTokens(ids, starts, ends);
    }
}

/// <summary>Where the windows of one question lie over its context: their first context tokens, the context tokens
/// each window has room for, and how many context tokens they cover.</summary>
public sealed record WindowLayout(int[] Starts, int Room, int ContextCount)
{
    /// <summary>BERT's max-context rule: a token seen by several windows belongs to the one where it has the most
    /// context on its shorter side.</summary>
    public bool IsMaxContext(int windowStart, int token)
    {
        double best = double.NegativeInfinity;
        int bestStart = -1;
        foreach (int start in Starts)
        {
            int length = Math.Min(Room, ContextCount - start);
            if (token < start || token >= start + length) continue;
            double score = Math.Min(token - start, start + length - 1 - token) + 0.01 * length;
            if (score > best) (best, bestStart) = (score, start);
        }
        return bestStart == windowStart;
    }
}

/// <summary>
/// One window of one question: <c>[CLS] question [SEP] context window [SEP]</c> without padding, the answer labels,
/// and the map back to the context, whose tokens are shared by every window and question over it.
/// </summary>
public sealed class MrcFeature : IEncoderInput
{
    public required int ExampleIndex { get; init; }
    public required CompactIds Ids { get; init; }

    /// <summary>Question tokens in the window (after <c>[CLS]</c>).</summary>
    public required int QuestionLength { get; init; }

    public required ContextTokens Context { get; init; }
    public required WindowLayout Layout { get; init; }

    /// <summary>The context token the window starts at.</summary>
    public required int WindowStart { get; init; }

    /// <summary>Token index of the answer's first token, or 0 ([CLS]) when unanswerable or outside the window.</summary>
    public required int StartPosition { get; init; }
    public required int EndPosition { get; init; }

    /// <summary>QuAC: the follow-up label (0 y, 1 m, 2 n), or -1 for other datasets.</summary>
    public int Followup { get; init; } = -1;

    /// <summary>QuAC: the yes/no label (0 y, 1 n, 2 x), or -1 for other datasets.</summary>
    public int YesNo { get; init; } = -1;

    /// <summary>The window's first context token position; token types are 1 from here on.</summary>
    public int SecondSegment => QuestionLength + 2;

    public int WindowLength => Ids.Length - QuestionLength - 3;

    /// <summary>Position <paramref name="position"/>'s [start, end) in the original context, or (-1, -1) for question,
    /// special and padding positions.</summary>
    public (int Start, int End) ContextOffset(int position) =>
        position >= SecondSegment && position < SecondSegment + WindowLength ? Context.Offset(WindowStart + position - SecondSegment) : (-1, -1);

    /// <summary>Whether this window gives position <paramref name="position"/>'s context token its most surrounding context.</summary>
    public bool IsMaxContext(int position) =>
        ContextOffset(position).Start >= 0 && Layout.IsMaxContext(WindowStart, WindowStart + position - SecondSegment);

    public static int FollowupLabel(char c) => "ymn".IndexOf(c);

    public static int YesNoLabel(char c) => "ynx".IndexOf(c);
}

/// <summary>
/// Builds <see cref="MrcFeature"/> windows from questions. Questions over one context (SQuAD lists a paragraph's
/// questions together) share one tokenization of it; runs of questions are tokenized in parallel, and the output
/// does not depend on how many threads did it.
/// </summary>
public static class MrcFeatureBuilder
{
    private const int ExamplesPerChunk = 256;

    public static List<MrcFeature> Build(IReadOnlyList<MrcExample> examples, ITokenizer tokenizer, MrcWindowSettings settings, int? threads = null)
    {
        var chunks = Chunks(examples);
        var built = new List<MrcFeature>[chunks.Count];
        Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, c =>
        {
            var (from, to) = chunks[c];
            var features = new List<MrcFeature>();
            var contexts = new Dictionary<string, ContextTokens>(StringComparer.Ordinal);
            for (int index = from; index < to; index++)
            {
                var example = examples[index];
                if (!contexts.TryGetValue(example.Context, out var context)) contexts[example.Context] = context = ContextTokens.Of(tokenizer.Tokenize(example.Context));
                Windows(index, example, context, tokenizer, settings, features);
            }
            built[c] = features;
        });
        var all = new List<MrcFeature>(built.Sum(b => b.Count));
        foreach (var part in built) all.AddRange(part);
        return all;
    }

    // Chunks of about ExamplesPerChunk questions that never split a run of questions over the same context.
    private static List<(int From, int To)> Chunks(IReadOnlyList<MrcExample> examples)
    {
        var chunks = new List<(int, int)>();
        int from = 0;
        for (int i = 1; i <= examples.Count; i++)
        {
            if (i < examples.Count && (i - from < ExamplesPerChunk || ReferenceEquals(examples[i].Context, examples[i - 1].Context) || examples[i].Context == examples[i - 1].Context)) continue;
            chunks.Add((from, i));
            from = i;
        }
        return chunks;
    }

    private static void Windows(int index, MrcExample example, ContextTokens context, ITokenizer tokenizer, MrcWindowSettings s, List<MrcFeature> output)
    {
        var question = tokenizer.Tokenize(example.Question);
        int questionLength = Math.Min(question.Count, s.MaxQueryLength);
        int contextCount = s.ContextLimitedToMaxLength ? Math.Min(context.Count, s.MaxLength) : context.Count;
        int room = s.MaxLength - questionLength - 3;
        if (room <= s.Stride)
            throw new RoadException($"max length {s.MaxLength} leaves {room} context tokens per window, not more than the stride {s.Stride}; raise the max length or lower the stride.");
        var starts = new List<int>();
        for (int start = 0; ; start += room - s.Stride)
        {
            starts.Add(start);
            if (start + room >= contextCount) break;
        }
        var layout = new WindowLayout(starts.ToArray(), room, contextCount);
        var (answerStart, answerEnd) = AnswerTokens(example, context, contextCount);
        int offset = questionLength + 2;
        Span<int> ids = stackalloc int[s.MaxLength];
        foreach (int start in starts)
        {
            int length = Math.Min(room, contextCount - start);
            int p = 0;
            ids[p++] = tokenizer.ClsId;
            for (int i = 0; i < questionLength; i++) ids[p++] = question[i].Id;
            ids[p++] = tokenizer.SepId;
            for (int i = 0; i < length; i++) ids[p++] = context.Id(start + i);
            ids[p++] = tokenizer.SepId;
            bool inside = answerStart >= start && answerEnd < start + length;
            output.Add(new MrcFeature
            {
                ExampleIndex = index,
                Ids = CompactIds.From(ids[..p], tokenizer.VocabularySize),
                QuestionLength = questionLength,
                Context = context,
                Layout = layout,
                WindowStart = start,
                StartPosition = inside ? answerStart - start + offset : 0,
                EndPosition = inside ? answerEnd - start + offset : 0,
                Followup = example.Turn is null ? -1 : MrcFeature.FollowupLabel(example.Turn.Followup),
                YesNo = example.Turn is null ? -1 : MrcFeature.YesNoLabel(example.Turn.YesNo),
            });
        }
    }

    // The training answer's token span in the context, or (-1, -1) when unanswerable (or, in a dev set, when no
    // answer is at its offset: dev labels are not used).
    private static (int Start, int End) AnswerTokens(MrcExample example, ContextTokens context, int count)
    {
        if (example.TrainingAnswer is not { } answer) return (-1, -1);
        int charEnd = answer.Start + answer.Text.Length;
        int first = -1, last = -1;
        for (int i = 0; i < count; i++)
        {
            var (start, end) = context.Offset(i);
            if (end <= answer.Start || start >= charEnd) continue;
            if (first < 0) first = i;
            last = i;
        }
        return (first, last);
    }
}
