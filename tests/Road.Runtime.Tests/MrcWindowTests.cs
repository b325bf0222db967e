using System.Text.Json.Nodes;
using Road.Data;
using Road.Tokenization;

namespace Road.Tests;

/// <summary>Question/context windows against the features transformers' run_qa.py builds (HF stride semantics).</summary>
public sealed class MrcWindowTests
{
    private static readonly JsonNode Reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference", "squad-windows-hf.json")))!;
    private static readonly WordPieceTokenizer Bert = WordPieceTokenizer.FromVocabularyFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab", "bert-base-uncased-vocab.txt"));

    private static List<MrcFeature> Features(bool likeTransformers5 = false)
    {
        string context = Reference["context"]!.GetValue<string>();
        var examples = Reference["questions"]!.AsArray().Select((q, i) => new MrcExample($"q{i}", q!.GetValue<string>(), context, [])).ToList();
        var settings = new MrcWindowSettings(MaxLength: Reference["max_length"]!.GetValue<int>(), Stride: Reference["stride_overlap"]!.GetValue<int>(), ContextLimitedToMaxLength: likeTransformers5);
        return MrcFeatureBuilder.Build(examples, Bert, settings);
    }

    private static long[] Longs(JsonNode? array) => array!.AsArray().Select(x => x!.GetValue<long>()).ToArray();

    [Fact]
    public void Windows_equal_run_qa_features_when_the_context_is_limited_as_transformers_5_does()
    {
        var features = Features(likeTransformers5: true);
        var windows = Reference["windows"]!.AsArray();
        Assert.Equal(windows.Count, features.Count);
        for (int w = 0; w < windows.Count; w++)
        {
            var expected = windows[w]!;
            var actual = features[w];
            Assert.Equal(expected["example"]!.GetValue<int>(), actual.ExampleIndex);
            Assert.Equal(Longs(expected["input_ids"]), actual.InputIds);
            Assert.Equal(Longs(expected["token_type_ids"]), actual.TokenTypeIds);
            Assert.Equal(Longs(expected["attention_mask"]), actual.AttentionMask);
            var sequence = expected["sequence_ids"]!.AsArray();
            var offsets = expected["offsets"]!.AsArray();
            for (int t = 0; t < sequence.Count; t++)
            {
                bool context = sequence[t] is not null && sequence[t]!.GetValue<int>() == 1;
                var want = context ? (offsets[t]![0]!.GetValue<int>(), offsets[t]![1]!.GetValue<int>()) : (-1, -1);
                Assert.Equal(want, actual.ContextOffsets[t]);
            }
        }
    }

    [Fact]
    public void By_default_windows_cover_the_whole_context_with_the_same_overlap()
    {
        var features = Features().Where(f => f.ExampleIndex == 0).ToList();
        var reference = Reference["windows"]!.AsArray().Where(w => w!["example"]!.GetValue<int>() == 0).ToList();
        Assert.Equal(Longs(reference[0]!["input_ids"]), features[0].InputIds); // the first window is the same
        string context = Reference["context"]!.GetValue<string>();
        Assert.Equal(context.Length, features[^1].ContextOffsets.Where(o => o.Start >= 0).Max(o => o.End)); // the last reaches the end
        for (int w = 1; w < features.Count; w++)
        {
            var previous = features[w - 1].ContextOffsets.Where(o => o.Start >= 0).ToList();
            var current = features[w].ContextOffsets.Where(o => o.Start >= 0).ToList();
            Assert.Equal(previous[^12..], current[..12]); // neighbours share Stride = 12 tokens
        }
    }

    [Fact]
    public void Each_context_token_is_max_context_in_exactly_one_window()
    {
        var features = Features().Where(f => f.ExampleIndex == 0).ToList();
        var owners = features.SelectMany(f => f.ContextOffsets.Select((o, t) => (o, max: f.IsMaxContext[t])).Where(x => x.o.Start >= 0))
            .GroupBy(x => x.o).Select(g => g.Count(x => x.max)).ToList();
        Assert.All(owners, n => Assert.Equal(1, n));
    }

    [Fact]
    public void Answers_outside_a_window_and_unanswerable_questions_point_at_cls()
    {
        string context = Reference["context"]!.GetValue<string>();
        int start = context.IndexOf("Rollo", StringComparison.Ordinal);
        var answerable = new MrcExample("rollo", "Who was the Norse leader?", context, [new Answer("Rollo", start)]);
        var features = MrcFeatureBuilder.Build([answerable], Bert, new MrcWindowSettings(48, 12));
        Assert.Contains(features, f => f.StartPosition == 0 && f.EndPosition == 0);
        var inside = Assert.Single(features, f => f.StartPosition > 0);
        Assert.Equal((start, start + 5), (inside.ContextOffsets[inside.StartPosition].Start, inside.ContextOffsets[inside.EndPosition].End));
    }
}
