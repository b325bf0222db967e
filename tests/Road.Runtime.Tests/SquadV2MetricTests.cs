using Road.Evaluation;
using Road.Tokenization;

namespace Road.Tests;

/// <summary>Hand-computed cases of the official SQuAD 2.0 semantics.</summary>
public sealed class SquadV2MetricTests
{
    private static (string, IReadOnlyList<string>) Q(string id, params string[] answers) => (id, answers);

    [Theory]
    [InlineData("The Cat", "cat")]
    [InlineData("an apple, a pear and the plum!", "apple pear and plum")]
    [InlineData("theatre another", "theatre another")]
    [InlineData("  tabs\tand\nnewlines  ", "tabs and newlines")]
    [InlineData("“curly” — dash", "“curly” — dash")] // only ASCII punctuation is removed
    [InlineData("the—a", "—")] // \b sits between a word and a non-ASCII dash
    [InlineData("U.S.A.", "usa")]
    [InlineData("non\u00a0breaking", "non breaking")]
    public void Normalisation_follows_normalize_answer(string text, string expected) => Assert.Equal(expected, SquadV2Metric.Normalize(text));

    [Fact]
    public void Token_f1_is_a_bag_of_tokens_overlap()
    {
        Assert.Equal(2.0 / 3, SquadV2Metric.TokenF1("the quick brown fox", "quick fox jumps"), 12);
        Assert.Equal(0.0, SquadV2Metric.TokenF1("a b", "c"));
        Assert.Equal(1.0, SquadV2Metric.TokenF1("the", "")); // both normalise to nothing
        Assert.Equal(2 * 0.5 * 1.0 / 1.5, SquadV2Metric.TokenF1("x x", "x x y y"), 12); // counts, not sets
    }

    [Fact]
    public void Several_gold_answers_take_the_best_and_unanswerable_questions_want_empty()
    {
        var gold = new[] { Q("q1", "Denver Broncos", "the Broncos"), Q("q2"), Q("q3", "1882") };
        var predictions = new Dictionary<string, string> { ["q1"] = "Broncos", ["q2"] = "", ["q3"] = "in 1882 or so" };
        var r = SquadV2Metric.Evaluate(gold, predictions);
        // q1: EM 1 (matches "the Broncos"), F1 1; q2: EM 1, F1 1; q3: EM 0, F1 = 2*(1/4*1)/(1/4+1) = 0.4
        Assert.Equal(200.0 / 3, r.Exact, 9);
        Assert.Equal(100 * 2.4 / 3, r.F1, 9);
        Assert.Equal((2, 1), (r.HasAnsTotal, r.NoAnsTotal));
        Assert.Equal(50.0, r.HasAnsExact!.Value, 9);
        Assert.Equal(100.0, r.NoAnsF1!.Value, 9);
        Assert.Null(r.BestExact);
    }

    [Fact]
    public void Gold_answers_that_normalise_to_empty_want_an_empty_prediction_but_stay_answerable()
    {
        var r = SquadV2Metric.Evaluate([Q("q", "the", "?")], new Dictionary<string, string> { ["q"] = "" });
        Assert.Equal((100.0, 1, 0), (r.Exact, r.HasAnsTotal, r.NoAnsTotal));
    }

    [Fact]
    public void The_threshold_turns_confident_no_answers_into_empty_predictions()
    {
        var gold = new[] { Q("q1", "Paris"), Q("q2") };
        var predictions = new Dictionary<string, string> { ["q1"] = "Paris", ["q2"] = "Rome" };
        var naProbs = new List<KeyValuePair<string, double>> { new("q1", 0.2), new("q2", 0.9) };
        Assert.Equal(100.0, SquadV2Metric.Evaluate(gold, predictions, naProbs, 0.5).Exact);
        Assert.Equal(50.0, SquadV2Metric.Evaluate(gold, predictions, naProbs, 1.0).Exact);
        // Above 0.1 both are "no answer": q1 is lost, q2 won.
        Assert.Equal(50.0, SquadV2Metric.Evaluate(gold, predictions, naProbs, 0.1).Exact);
        Assert.Equal(0.0, SquadV2Metric.Evaluate(gold, new Dictionary<string, string> { ["q1"] = "Rome", ["q2"] = "Rome" }, naProbs, 1.0).Exact);
    }

    [Fact]
    public void Best_threshold_sweeps_by_probability_and_ties_keep_the_files_order()
    {
        var gold = new[] { Q("answered", "Paris"), Q("unanswerable") };
        var predictions = new Dictionary<string, string> { ["answered"] = "Paris", ["unanswerable"] = "Rome" };
        // Start at 1 (the one unanswerable question counted right). In file order [unanswerable, answered]: -1 then +1,
        // never above 1, so the best stays 50% at threshold 0.0. In order [answered, unanswerable]: +1 reaches 2 first.
        var unanswerableFirst = SquadV2Metric.Evaluate(gold, predictions, [new("unanswerable", 0.5), new("answered", 0.5)]);
        Assert.Equal((50.0, 0.0), (unanswerableFirst.BestExact!.Value, unanswerableFirst.BestExactThreshold!.Value));
        var answeredFirst = SquadV2Metric.Evaluate(gold, predictions, [new("answered", 0.5), new("unanswerable", 0.5)]);
        Assert.Equal((100.0, 0.5), (answeredFirst.BestExact!.Value, answeredFirst.BestExactThreshold!.Value));
        Assert.Equal((100.0, 0.5), (answeredFirst.BestF1!.Value, answeredFirst.BestF1Threshold!.Value));
    }

    [Fact]
    public void Missing_predictions_are_listed()
    {
        var gold = Enumerable.Range(0, 9).Select(i => Q($"q{i}", "x")).ToArray();
        var error = Assert.Throws<RoadException>(() => SquadV2Metric.Evaluate(gold, new Dictionary<string, string> { ["q0"] = "x" }));
        Assert.Equal("the predictions lack 8 of 9 questions; first missing ids: q1, q2, q3, q4, q5.", error.Message);
    }

    [Fact]
    public void Json_has_the_official_keys_in_order_with_python_floats()
    {
        var r = SquadV2Metric.Evaluate([Q("q1", "x y z"), Q("q2")], new Dictionary<string, string> { ["q1"] = "y", ["q2"] = "" }, [new("q1", 0.25), new("q2", 1e-5)]);
        Assert.Equal("""
            {
              "exact": 50.0,
              "f1": 75.0,
              "total": 2,
              "HasAns_exact": 0.0,
              "HasAns_f1": 50.0,
              "HasAns_total": 1,
              "NoAns_exact": 100.0,
              "NoAns_f1": 100.0,
              "NoAns_total": 1,
              "best_exact": 50.0,
              "best_exact_thresh": 0.0,
              "best_f1": 75.0,
              "best_f1_thresh": 0.25
            }
            """.Replace("\r\n", "\n"), r.ToJson());
        Assert.Equal("1e-05", SquadV2Result.Py(1e-5));
        Assert.Equal("66.66666666666667", SquadV2Result.Py(200.0 / 3));
    }
}

/// <summary>Accuracy over a labelled file, predictions by id or in file order.</summary>
public sealed class AccuracyFilesTests
{
    private static readonly string Mnli = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "mnli", "multinli_1.0_dev_matched.sample.jsonl");

    [Fact]
    public void Predictions_by_id_or_in_order_with_names_or_indices()
    {
        var gold = Road.Data.Readers.NliJsonlReader.Read(Mnli, new Road.Data.Readers.ReaderReport()).ToList();
        string byId = Path.GetTempFileName();
        string inOrder = Path.GetTempFileName();
        try
        {
            // All right except the last, which is predicted as "entailment" when it is not.
            var labels = gold.Select((g, i) => i == gold.Count - 1 ? 0 : g.Label).ToList();
            Assert.NotEqual(0, gold[^1].Label);
            File.WriteAllText(byId, "{" + string.Join(",", gold.Select((g, i) => $"\"{g.Id}\": \"{Road.Data.Readers.NliLabels.Names[labels[i]]}\"")) + "}");
            File.WriteAllText(inOrder, "[" + string.Join(",", labels) + "]");
            var expected = new AccuracyResult(4.0 / 5, 5);
            Assert.Equal(expected, AccuracyFiles.Evaluate("mnli", Mnli, byId));
            Assert.Equal(expected, AccuracyFiles.Evaluate("mnli", Mnli, inOrder));
            Assert.Equal("{\n  \"accuracy\": 0.8,\n  \"total\": 5\n}", AccuracyFiles.ToJson(expected));
            File.WriteAllText(inOrder, "[0, 1]");
            Assert.Contains("2 predictions for the 5 examples", Assert.Throws<RoadException>(() => AccuracyFiles.Evaluate("mnli", Mnli, inOrder)).Message);
        }
        finally
        {
            File.Delete(byId);
            File.Delete(inOrder);
        }
    }
}

/// <summary>Mean and standard deviation over runs.</summary>
public sealed class RunsSummaryTests
{
    [Fact]
    public void Metrics_of_tasks_and_rows_get_mean_and_sample_std()
    {
        var spreads = Road.Reporting.RunsSummary.Of([
            """{"tasks": {"A": {"exact": 50, "total": 10}}, "rows": {"kd": {"A": {"f1": 1}}}, "training": {"S": {"last_loss": 9}}}""",
            """{"tasks": {"A": {"exact": 70, "total": 10}}, "rows": {"kd": {"A": {"f1": 3}}}, "training": {"S": {"last_loss": 1}}}""",
        ]);
        Assert.Equal(["rows.kd.A.f1", "tasks.A.exact", "tasks.A.total"], spreads.Select(s => s.Metric));
        var exact = spreads.Single(s => s.Metric == "tasks.A.exact");
        Assert.Equal((60.0, Math.Sqrt(200), 2), (exact.Mean, exact.StandardDeviation, exact.Runs));
        Assert.Contains("| rows.kd.A.f1 | 2.00 | 1.41 | 2 |", Road.Reporting.RunsSummary.Table(spreads));
        Assert.DoesNotContain("total", Road.Reporting.RunsSummary.Table(spreads));
    }

    [Fact]
    public void Several_runs_of_a_paper_experiment_lay_their_means_out_as_the_papers_table()
    {
        var spec = ShortRuns.Entry("table3-electra-large").Spec;
        string Run(int baselineF1, int smoothedF1) =>
            "{\"rows\": {\"baseline\": {\"Squad2\": {\"exact\": 80, \"f1\": " + baselineF1 + "}}, \"+ label smoothing\": {\"Squad2\": {\"exact\": 81, \"f1\": " + smoothedF1 + "}}}}";
        var spreads = Road.Reporting.RunsSummary.Of([Run(83, 84), Run(85, 86)]);

        Assert.Equal(
            "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |\n|---|---:|---:|\n| baseline | 80.00 ± 0.00 | 84.00 ± 1.41 |\n| + label smoothing | 81.00 ± 0.00 | 85.00 ± 1.41 |\n",
            Road.Reporting.RunsSummary.PaperLayout(spec, spreads).ReplaceLineEndings("\n"));
    }
}

/// <summary>Python's str.lower(), which normalize_answer calls, against Python 3.11's own output.</summary>
public sealed class PythonLowercaseTests
{
    private static readonly System.Text.Json.Nodes.JsonNode Reference =
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "python", "str-lower.json")))!;

    [Theory]
    [InlineData("ΚΤΕΊΣ", "κτείς")] // final sigma
    [InlineData("ΣΑΣ Σ", "σας σ")] // a lone sigma is not final
    [InlineData("İstanbul", "i\u0307stanbul")] // full mapping: two code points
    public void Special_casing_matches_python(string text, string expected) => Assert.Equal(expected, PythonLowercase.Lower(text));

    [Fact]
    public void Every_code_point_lowers_as_python_does()
    {
        var wrong = Reference["single"]!.AsObject()
            .Select(kv => (Code: int.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture), Expected: kv.Value!.GetValue<string>()))
            .Where(x => PythonLowercase.Lower(char.ConvertFromUtf32(x.Code)) != x.Expected)
            .Select(x => $"U+{x.Code:X4}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Reference["single"]!.AsObject().Count} differ: {string.Join(", ", wrong.Take(20))}");
    }

    [Fact]
    public void Sigma_in_context_lowers_as_python_does()
    {
        foreach (var pair in Reference["strings"]!.AsArray())
            Assert.Equal(pair![1]!.GetValue<string>(), PythonLowercase.Lower(pair[0]!.GetValue<string>()));
    }

    [Fact]
    public void Upper_cased_predictions_score_as_the_official_script_scores_them()
    {
        // evaluate-v2.0.py: normalize_answer("ΚΤΕΊΣ") == normalize_answer("κτείς"), and İ keeps its dot above.
        Assert.Equal(1.0, SquadV2Metric.ExactMatch("κτείς", "ΚΤΕΊΣ"));
        Assert.Equal(0.0, SquadV2Metric.ExactMatch("istanbul", "İSTANBUL"));
        Assert.Equal("i\u0307stanbul", SquadV2Metric.Normalize("İSTANBUL"));
    }
}
