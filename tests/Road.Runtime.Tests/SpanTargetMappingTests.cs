using Road.Data;
using Road.Distillation;
using Road.Tokenization;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>Mapping span distributions between tokenizations through character offsets (issue 13): the boundary rule
/// on hand-built offsets, an identical tokenization left unchanged, and a SentencePiece teacher teaching a WordPiece
/// student its own gold spans.</summary>
public sealed class SpanTargetMappingTests
{
    private static readonly string Vocab = Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab");
    private static readonly Lazy<ITokenizer> Bert = new(() => WordPieceTokenizer.FromVocabularyFile(Path.Combine(Vocab, "bert-base-uncased-vocab.txt")));
    private static readonly Lazy<ITokenizer> Albert = new(() => AlbertTokenizer.FromModelFile(Path.Combine(Vocab, "albert-30k-clean.model")));

    // "Ottoman Empire dissolved in 1922." cut as a WordPiece and a SentencePiece vocabulary could cut it:
    // otto ##man empire dissolved in 1922 .   and   ▁ottoman ▁empire ▁dissolve d ▁in ▁ 1922 .   (a lone ▁ is empty)
    private static readonly (int, int)[] WordPiece = [(0, 4), (4, 7), (8, 14), (15, 24), (25, 27), (28, 32), (32, 33)];
    private static readonly (int, int)[] SentencePiece = [(0, 7), (8, 14), (15, 23), (23, 24), (25, 27), (28, 28), (28, 32), (32, 33)];

    private static AlignedToken Exact(int token) => new(token, true);

    private static AlignedToken Moved(int token) => new(token, false);

    [Fact]
    public void Sentencepiece_boundaries_land_on_the_wordpiece_tokens_with_the_same_characters_or_the_nearest()
    {
        var alignment = TokenAlignment.Between(SentencePiece, WordPiece);
        Assert.Equal([Exact(0), Exact(2), Exact(3), Moved(3), Exact(4), Exact(5), Exact(5), Exact(6)],
            Enumerable.Range(0, alignment.Count).Select(alignment.Start));
        // ▁dissolve ends inside "dissolved"; the empty ▁ ends where "in" is the last token before it.
        Assert.Equal([Exact(1), Exact(2), Moved(3), Exact(3), Exact(4), Moved(4), Exact(5), Exact(6)],
            Enumerable.Range(0, alignment.Count).Select(alignment.End));
    }

    [Fact]
    public void Wordpiece_boundaries_land_on_sentencepiece_tokens_and_never_on_the_empty_piece()
    {
        var alignment = TokenAlignment.Between(WordPiece, SentencePiece);
        Assert.Equal([Exact(0), Moved(0), Exact(1), Exact(2), Exact(4), Exact(6), Exact(7)], Enumerable.Range(0, alignment.Count).Select(alignment.Start));
        Assert.Equal([Moved(0), Exact(0), Exact(1), Exact(3), Exact(4), Exact(6), Exact(7)], Enumerable.Range(0, alignment.Count).Select(alignment.End));
    }

    [Fact]
    public void Boundaries_in_gaps_move_inwards_and_those_beyond_every_token_have_no_place()
    {
        // The target dropped characters 3-4 and has nothing after 8.
        var alignment = TokenAlignment.Between([(3, 5), (9, 10), (0, 1)], [(0, 3), (5, 8)]);
        Assert.Equal([Moved(1), new AlignedToken(-1, false), Exact(0)], Enumerable.Range(0, 3).Select(alignment.Start));
        Assert.Equal([Moved(0), Moved(1), Moved(0)], Enumerable.Range(0, 3).Select(alignment.End));
        Assert.Equal(new AlignedToken(-1, false), TokenAlignment.Between([(0, 2)], [(5, 8)]).End(0));
    }

    private static readonly MrcExample[] Examples =
    [
        new("q1", "When did the Ottoman Empire dissolve?", "The Ottoman Empire, which had ruled for six centuries, dissolved in 1922 after the First World War; the Republic of Turkey followed in 1923.", [new Answer("1922", 68)]),
        new("q2", "What followed the empire?", "The Ottoman Empire, which had ruled for six centuries, dissolved in 1922 after the First World War; the Republic of Turkey followed in 1923.", [new Answer("the Republic of Turkey", 100)]),
        new("q3", "Who painted the ceiling?", "The Ottoman Empire, which had ruled for six centuries, dissolved in 1922 after the First World War; the Republic of Turkey followed in 1923.", []),
    ];

    // Random teacher logits over each window's positions, padded to the task's width with the padding logit.
    private static SoftTargets RandomTargets(IReadOnlyList<MrcFeature> features, int width, int seed)
    {
        manual_seed(seed);
        Tensor Spans()
        {
            var logits = randn(features.Count, width) * 3;
            for (int i = 0; i < features.Count; i++) logits[i, TensorIndex.Slice(features[i].Ids.Length)] = Training.MrcObjective.PaddingLogit;
            return logits;
        }
        return new SoftTargets(new Dictionary<string, Tensor> { ["start"] = Spans(), ["end"] = Spans(), ["answerable"] = randn(features.Count) });
    }

    private static float[] Probabilities(Tensor logits, int length) => softmax(logits[TensorIndex.Slice(0, length)].to(ScalarType.Float32), 0).data<float>().ToArray();

    [Fact]
    public void An_identical_tokenization_is_left_unchanged_window_by_window()
    {
        var settings = new MrcWindowSettings(MaxLength: 32, Stride: 8, MaxQueryLength: 12);
        var features = MrcFeatureBuilder.Build(Examples, Bert.Value, settings);
        Assert.True(features.Count > Examples.Length, "the context should need several windows");
        var teacher = RandomTargets(features, settings.MaxLength, seed: 1);
        var (mapped, coverage) = SpanTargetMapping.Mrc(teacher, features, Bert.Value, features, Bert.Value, Examples, settings.MaxLength);
        Assert.Equal(new MappingCoverage(1, 0, 0, features.Count), coverage);
        for (int i = 0; i < features.Count; i++)
        {
            int length = features[i].Ids.Length;
            foreach (string output in new[] { "start", "end" })
            {
                // Stored in bf16 as log-probabilities: the distributions agree to bf16's precision.
                Assert.Equal(Probabilities(teacher.Outputs[output][i], length), Probabilities(mapped.Outputs[output][i], length), new FloatTolerance(0.01f));
                int argmax = (int)teacher.Outputs[output][i].argmax().item<long>();
                int gold = output == "start" ? features[i].StartPosition : features[i].EndPosition;
                Assert.Equal(argmax == gold ? 1f : 0f, Value(mapped.Outputs[SpanTargetMapping.Correctness(output)][i]));
            }
            Assert.Equal(Value(teacher.Outputs["answerable"][i]), Value(mapped.Outputs["answerable"][i]));
        }

        // At double precision, one window's mapping returns its probabilities exactly.
        var alignment = new ExampleAlignment(
            TokenAlignment.Between(Offsets(Bert.Value.Tokenize(Examples[0].Question)), Offsets(Bert.Value.Tokenize(Examples[0].Question))),
            TokenAlignment.Between(Offsets(features[1].Context), Offsets(features[1].Context)));
        var random = new Random(3);
        var probabilities = Enumerable.Range(0, features[1].Ids.Length).Select(_ => random.NextDouble()).ToArray();
        Assert.Equal(probabilities, alignment.Map(probabilities, features[1], features[1], ends: true));
    }

    [Fact]
    public void Teacher_probability_beyond_a_narrower_student_window_goes_to_cls()
    {
        var teacherSettings = new MrcWindowSettings(MaxLength: 64, Stride: 8, MaxQueryLength: 12);
        var studentSettings = new MrcWindowSettings(MaxLength: 32, Stride: 8, MaxQueryLength: 12);
        var teacherFeatures = MrcFeatureBuilder.Build(Examples, Bert.Value, teacherSettings);
        var studentFeatures = MrcFeatureBuilder.Build(Examples, Bert.Value, studentSettings);
        var teacher = RandomTargets(teacherFeatures, teacherSettings.MaxLength, seed: 2);
        var (mapped, coverage) = SpanTargetMapping.Mrc(teacher, teacherFeatures, Bert.Value, studentFeatures, Bert.Value, Examples, studentSettings.MaxLength);
        Assert.Equal(0, coverage.Moved);
        Assert.True(coverage.Outside > 0.1, coverage.Describe());
        foreach (var (student, s) in studentFeatures.Select((f, s) => (f, s)))
        {
            // The student's window lies inside one teacher window of its question (the teacher's windows are wider).
            var window = teacherFeatures.First(t => t.ExampleIndex == student.ExampleIndex && t.WindowStart <= student.WindowStart
                && t.WindowStart + t.WindowLength >= student.WindowStart + student.WindowLength);
            int w = teacherFeatures.IndexOf(window);
            var source = Probabilities(teacher.Outputs["start"][w], window.Ids.Length);
            var target = Probabilities(mapped.Outputs["start"][s], student.Ids.Length);
            double inside = 0;
            for (int p = student.SecondSegment; p < student.SecondSegment + student.WindowLength; p++)
            {
                double expected = source[window.SecondSegment + student.WindowStart - window.WindowStart + p - student.SecondSegment];
                Assert.Equal(expected, target[p], 0.05 * expected + 1e-6); // log-probabilities are stored in bf16
                inside += expected;
            }
            double beyond = Enumerable.Range(window.SecondSegment, window.WindowLength).Sum(p => (double)source[p]) - inside;
            Assert.Equal(source[0] + beyond, target[0], 0.05 * (source[0] + beyond) + 1e-6);
        }
    }

    [Fact]
    public void A_sentencepiece_teacher_sure_of_its_gold_spans_teaches_a_wordpiece_student_its_own_gold_spans()
    {
        var settings = new MrcWindowSettings(MaxLength: 96, Stride: 16, MaxQueryLength: 16);
        var teacherFeatures = MrcFeatureBuilder.Build(Examples, Albert.Value, settings);
        var studentFeatures = MrcFeatureBuilder.Build(Examples, Bert.Value, settings);
        Assert.Equal(Examples.Length, studentFeatures.Count);
        Tensor Sure(Func<MrcFeature, int> gold)
        {
            var logits = full(teacherFeatures.Count, settings.MaxLength, Training.MrcObjective.PaddingLogit);
            for (int i = 0; i < teacherFeatures.Count; i++)
            {
                logits[i, TensorIndex.Slice(0, teacherFeatures[i].Ids.Length)] = 0;
                logits[i, gold(teacherFeatures[i])] = 30;
            }
            return logits;
        }
        var teacher = new SoftTargets(new Dictionary<string, Tensor>
        {
            ["start"] = Sure(f => f.StartPosition),
            ["end"] = Sure(f => f.EndPosition),
            ["answerable"] = tensor(teacherFeatures.Select(f => f.StartPosition == 0 ? -5f : 5f).ToArray()),
        });
        var (mapped, coverage) = SpanTargetMapping.Mrc(teacher, teacherFeatures, Albert.Value, studentFeatures, Bert.Value, Examples, settings.MaxLength);
        for (int s = 0; s < studentFeatures.Count; s++)
        {
            Assert.Equal(studentFeatures[s].StartPosition, (int)mapped.Outputs["start"][s].argmax().item<long>());
            Assert.Equal(studentFeatures[s].EndPosition, (int)mapped.Outputs["end"][s].argmax().item<long>());
            foreach (string output in new[] { "start", "end", "answerable" })
                Assert.Equal(1f, Value(mapped.Outputs[SpanTargetMapping.Correctness(output)][s]));
        }
        // Nearly all the mass sat on the gold boundaries, which are word boundaries in both tokenizations.
        Assert.True(coverage.Exact > 0.99, coverage.Describe());
    }

    private static float Value(Tensor scalar) => scalar.to(ScalarType.Float32).item<float>();

    private static List<(int, int)> Offsets(IReadOnlyList<TokenSpan> tokens) => tokens.Select(t => (t.Start, t.End)).ToList();

    private static List<(int, int)> Offsets(ContextTokens tokens) => Enumerable.Range(0, tokens.Count).Select(tokens.Offset).ToList();
}
