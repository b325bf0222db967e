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

    private static int[] Ints(JsonNode? array) => array!.AsArray().Select(x => x!.GetValue<int>()).ToArray();

    // HF pads to max_length; Road's features are unpadded (batches pad), so the reference is compared up to its mask.
    private static int Unpadded(JsonNode window) => Ints(window["attention_mask"]).Sum();

    private static (int Start, int End)[] Offsets(MrcFeature f, int length) => Enumerable.Range(0, length).Select(f.ContextOffset).ToArray();

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
            int length = Unpadded(expected);
            Assert.Equal(Ints(expected["input_ids"])[..length], actual.Ids.ToArray());
            Assert.Equal(Ints(expected["token_type_ids"])[..length], Enumerable.Range(0, length).Select(t => t >= actual.SecondSegment ? 1 : 0));
            var sequence = expected["sequence_ids"]!.AsArray();
            var offsets = expected["offsets"]!.AsArray();
            for (int t = 0; t < sequence.Count; t++)
            {
                bool context = sequence[t] is not null && sequence[t]!.GetValue<int>() == 1;
                var want = context ? (offsets[t]![0]!.GetValue<int>(), offsets[t]![1]!.GetValue<int>()) : (-1, -1);
                Assert.Equal(want, actual.ContextOffset(t));
            }
        }
    }

    [Fact]
    public void By_default_windows_cover_the_whole_context_with_the_same_overlap()
    {
        var features = Features().Where(f => f.ExampleIndex == 0).ToList();
        var reference = Reference["windows"]!.AsArray().Where(w => w!["example"]!.GetValue<int>() == 0).ToList();
        Assert.Equal(Ints(reference[0]!["input_ids"])[..Unpadded(reference[0]!)], features[0].Ids.ToArray()); // the first window is the same
        string context = Reference["context"]!.GetValue<string>();
        Assert.Equal(context.Length, Offsets(features[^1], features[^1].Ids.Length).Max(o => o.End)); // the last reaches the end
        for (int w = 1; w < features.Count; w++)
        {
            var previous = Offsets(features[w - 1], features[w - 1].Ids.Length).Where(o => o.Start >= 0).ToList();
            var current = Offsets(features[w], features[w].Ids.Length).Where(o => o.Start >= 0).ToList();
            Assert.Equal(previous[^12..], current[..12]); // neighbours share Stride = 12 tokens
        }
    }

    [Fact]
    public void Each_context_token_is_max_context_in_exactly_one_window()
    {
        var features = Features().Where(f => f.ExampleIndex == 0).ToList();
        var owners = features.SelectMany(f => Offsets(f, f.Ids.Length).Select((o, t) => (o, max: f.IsMaxContext(t))).Where(x => x.o.Start >= 0))
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
        Assert.Equal((start, start + 5), (inside.ContextOffset(inside.StartPosition).Start, inside.ContextOffset(inside.EndPosition).End));
    }

    [Fact]
    public void Questions_over_one_context_share_its_tokens_and_threads_do_not_change_the_output()
    {
        var squad = Road.Data.Readers.Squad2Reader.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "squad2", "allennlp-squad2-fixture.json"), new Road.Data.Readers.ReaderReport()).ToList();
        var settings = new MrcWindowSettings(64, 16);
        var serial = MrcFeatureBuilder.Build(squad, Bert, settings, threads: 1);
        var parallel = MrcFeatureBuilder.Build(squad, Bert, settings, threads: 4);
        Assert.Equal(serial.Select(f => (f.ExampleIndex, string.Join(",", f.Ids.ToArray()), f.StartPosition, f.EndPosition, f.WindowStart)),
            parallel.Select(f => (f.ExampleIndex, string.Join(",", f.Ids.ToArray()), f.StartPosition, f.EndPosition, f.WindowStart)));
        var byContext = serial.GroupBy(f => squad[f.ExampleIndex].Context).ToList();
        Assert.All(byContext, g => Assert.Single(g.Select(f => f.Context).Distinct()));
        Assert.Contains(byContext, g => g.Select(f => f.ExampleIndex).Distinct().Count() > 1);
        Assert.All(serial, f => Assert.Equal(2, f.Ids.Width));
    }
}
