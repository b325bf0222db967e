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
public sealed record MrcWindowSettings(int MaxLength = 384, int Stride = 128, int MaxQueryLength = 64, bool ContextLimitedToMaxLength = false);

/// <summary>One window of one question: padded inputs, the answer labels, and the map back to the context.</summary>
public sealed class MrcFeature : IEncoderInput
{
    public required int ExampleIndex { get; init; }
    public required long[] InputIds { get; init; }
    public required long[] TokenTypeIds { get; init; }
    public required long[] AttentionMask { get; init; }

    /// <summary>Token index of the answer's first token, or 0 ([CLS]) when unanswerable or outside the window.</summary>
    public required int StartPosition { get; init; }
    public required int EndPosition { get; init; }

    /// <summary>Per token: [start, end) in the original context, or (-1, -1) for question, special and pad tokens.</summary>
    public required (int Start, int End)[] ContextOffsets { get; init; }

    /// <summary>Per token: whether this window gives the token its most surrounding context (BERT's max-context rule).</summary>
    public required bool[] IsMaxContext { get; init; }

    /// <summary>QuAC: the follow-up label (0 y, 1 m, 2 n), or -1 for other datasets.</summary>
    public int Followup { get; init; } = -1;

    /// <summary>QuAC: the yes/no label (0 y, 1 n, 2 x), or -1 for other datasets.</summary>
    public int YesNo { get; init; } = -1;

    public static int FollowupLabel(char c) => "ymn".IndexOf(c);

    public static int YesNoLabel(char c) => "ynx".IndexOf(c);
}

/// <summary>Builds <see cref="MrcFeature"/> windows from questions.</summary>
public static class MrcFeatureBuilder
{
    public static List<MrcFeature> Build(IReadOnlyList<MrcExample> examples, ITokenizer tokenizer, MrcWindowSettings settings)
    {
        var features = new List<MrcFeature>();
        for (int index = 0; index < examples.Count; index++) features.AddRange(Windows(index, examples[index], tokenizer, settings));
        return features;
    }

    private static IEnumerable<MrcFeature> Windows(int index, MrcExample example, ITokenizer tokenizer, MrcWindowSettings s)
    {
        var question = tokenizer.Tokenize(example.Question).Take(s.MaxQueryLength).ToList();
        var context = tokenizer.Tokenize(example.Context);
        if (s.ContextLimitedToMaxLength && context.Count > s.MaxLength) context = context.Take(s.MaxLength).ToList();
        int room = s.MaxLength - question.Count - 3;
        if (room <= s.Stride)
            throw new RoadException($"max length {s.MaxLength} leaves {room} context tokens per window, not more than the stride {s.Stride}; raise the max length or lower the stride.");
        var starts = new List<int>();
        for (int start = 0; ; start += room - s.Stride)
        {
            starts.Add(start);
            if (start + room >= context.Count) break;
        }
        var (answerStart, answerEnd) = AnswerTokens(example, context);
        foreach (int start in starts)
        {
            int length = Math.Min(room, context.Count - start);
            int offset = question.Count + 2;
            var ids = new long[s.MaxLength];
            var types = new long[s.MaxLength];
            var mask = new long[s.MaxLength];
            var offsets = Enumerable.Repeat((-1, -1), s.MaxLength).ToArray();
            var maxContext = new bool[s.MaxLength];
            int p = 0;
            ids[p++] = tokenizer.ClsId;
            foreach (var t in question) ids[p++] = t.Id;
            ids[p++] = tokenizer.SepId;
            for (int i = 0; i < length; i++)
            {
                var t = context[start + i];
                offsets[p] = (t.Start, t.End);
                maxContext[p] = IsMaxContext(starts, room, context.Count, start, start + i);
                types[p] = 1;
                ids[p++] = t.Id;
            }
            types[p] = 1;
            ids[p++] = tokenizer.SepId;
            for (int i = 0; i < p; i++) mask[i] = 1;
            for (int i = p; i < s.MaxLength; i++) ids[i] = tokenizer.PadId;
            bool inside = answerStart >= start && answerEnd < start + length;
            yield return new MrcFeature
            {
                ExampleIndex = index,
                InputIds = ids,
                TokenTypeIds = types,
                AttentionMask = mask,
                StartPosition = inside ? answerStart - start + offset : 0,
                EndPosition = inside ? answerEnd - start + offset : 0,
                ContextOffsets = offsets,
                IsMaxContext = maxContext,
                Followup = example.Turn is null ? -1 : MrcFeature.FollowupLabel(example.Turn.Followup),
                YesNo = example.Turn is null ? -1 : MrcFeature.YesNoLabel(example.Turn.YesNo),
            };
        }
    }

    // The training answer's token span in the context, or (-1, -1) when unanswerable (or, in a dev set, when no
    // answer is at its offset: dev labels are not used).
    private static (int Start, int End) AnswerTokens(MrcExample example, IReadOnlyList<TokenSpan> context)
    {
        if (example.TrainingAnswer is not { } answer) return (-1, -1);
        int charEnd = answer.Start + answer.Text.Length;
        int first = -1, last = -1;
        for (int i = 0; i < context.Count; i++)
        {
            if (context[i].End <= answer.Start || context[i].Start >= charEnd) continue;
            if (first < 0) first = i;
            last = i;
        }
        return (first, last);
    }

    // A token seen by several windows belongs to the one where it has the most context on its shorter side.
    private static bool IsMaxContext(List<int> starts, int room, int contextLength, int current, int token)
    {
        double best = double.NegativeInfinity;
        int bestStart = -1;
        foreach (int start in starts)
        {
            int length = Math.Min(room, contextLength - start);
            if (token < start || token >= start + length) continue;
            double score = Math.Min(token - start, start + length - 1 - token) + 0.01 * length;
            if (score > best) (best, bestStart) = (score, start);
        }
        return bestStart == current;
    }
}
