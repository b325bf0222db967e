using Road.Data;
using Road.Evaluation;

namespace Road.Tests;

/// <summary>Answer selection on hand-made logits.</summary>
public sealed class MrcPostProcessorTests
{
    // [CLS] q [SEP] c0 c1 c2 c3 [SEP]: context tokens at positions 3..6 over "aa bb cc dd".
    private static readonly MrcExample Example = new("q", "q", "aa bb cc dd", []);

    private static MrcFeature Window() => new()
    {
        ExampleIndex = 0,
        Ids = CompactIds.From([2, 7, 3, 10, 11, 12, 13, 3], 100),
        QuestionLength = 1,
        Context = new ContextTokens([10, 11, 12, 13], [0, 3, 6, 9], [2, 5, 8, 11]),
        Layout = new WindowLayout([0], Room: 4, ContextCount: 4),
        WindowStart = 0,
        StartPosition = 0,
        EndPosition = 0,
    };

    // The second of two windows over "xx aa bb cc dd": "aa" and "bb" have more context in the first window.
    private static readonly MrcExample LongerExample = new("q", "q", "xx aa bb cc dd", []);

    private static MrcFeature SecondWindow() => new()
    {
        ExampleIndex = 0,
        Ids = CompactIds.From([2, 7, 3, 10, 11, 12, 13, 3], 100),
        QuestionLength = 1,
        Context = new ContextTokens([9, 10, 11, 12, 13], [0, 3, 6, 9, 12], [2, 5, 8, 11, 14]),
        Layout = new WindowLayout([0, 1], Room: 4, ContextCount: 5),
        WindowStart = 1,
        StartPosition = 0,
        EndPosition = 0,
    };

    private static float[] Logits(params (int At, float Value)[] values)
    {
        var logits = new float[8];
        foreach (var (at, value) in values) logits[at] = value;
        return logits;
    }

    [Fact]
    public void The_best_valid_span_wins_when_it_beats_the_null_score()
    {
        var logits = new WindowLogits(Logits((4, 5), (1, 9)), Logits((5, 5), (0, 1)), NoAnswer: -3);
        var prediction = new MrcPostProcessor().Predict([Example], [Window()], [logits]).Single();
        // The question token (1) scores highest as a start but is not context; the span is "bb cc" (4..5).
        Assert.Equal("bb cc", prediction.Text);
        Assert.Equal(1 / (1 + Math.Exp(-((0 + 1) - 10 + -3.0))), prediction.NoAnswerProbability, 6);
    }

    [Fact]
    public void The_null_score_wins_when_higher_and_the_answerability_head_can_tip_it()
    {
        var logits = new WindowLogits(Logits((0, 4), (3, 3)), Logits((0, 4), (3, 3)), NoAnswer: -5);
        Assert.Equal("", new MrcPostProcessor(useAnswerabilityHead: false).Predict([Example], [Window()], [logits]).Single().Text);
        Assert.Equal("aa", new MrcPostProcessor(useAnswerabilityHead: true).Predict([Example], [Window()], [logits]).Single().Text);
    }

    [Fact]
    public void Spans_longer_than_the_limit_ends_before_starts_and_non_max_context_starts_are_skipped()
    {
        var logits = new WindowLogits(Logits((3, 6), (4, 5)), Logits((6, 6), (3, 1), (4, 2)), NoAnswer: -9);
        Assert.Equal("aa bb cc dd", new MrcPostProcessor().Predict([Example], [Window()], [logits]).Single().Text);
        Assert.Equal("aa bb", new MrcPostProcessor(maxAnswerTokens: 2).Predict([Example], [Window()], [logits]).Single().Text);
        Assert.Equal([false, false, false, false, false, true, true, false], Enumerable.Range(0, 8).Select(SecondWindow().IsMaxContext));
        Assert.Equal("cc dd", new MrcPostProcessor().Predict([LongerExample], [SecondWindow()], [logits]).Single().Text);
    }
}
