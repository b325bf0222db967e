using System.Text.Json.Nodes;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// tiny-table4 and tiny-table5 end to end on shortened variants, a short learning check per algorithm (teachers,
/// multi-task pretraining, KD, ensemble, annealing and weighted KD): every stage ran, losses fell, every row answers
/// far more questions than an untrained encoder, and the same seed gives the same metrics.json. Not that ROaD wins
/// on toy data.
/// </summary>
public sealed class PaperTableTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    // An untrained encoder answers 1.5% of the toy dev set's answerable questions exactly.
    private const double UntrainedHasAnsExact = 1.5;

    private readonly string _output = Path.Combine(Path.GetTempPath(), "road-tables-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    private JsonNode Run(ExperimentEntry entry, int? seed = null)
    {
        var outcome = ExperimentRunner.Run(entry, new RunOptions("cpu", seed, _output), new SilentProgress());
        string metrics = File.ReadAllText(outcome.Folder.File("metrics.json"));
        log.WriteLine(metrics);
        return JsonNode.Parse(metrics)!;
    }

    // Every planned stage ran; those named by `learns` lowered their loss by a fifth.
    private static void AssertStagesRanAndLearned(ExperimentSpec spec, JsonNode metrics, Func<string, bool> learns)
    {
        var training = metrics["training"]!.AsObject();
        var expected = spec.Tasks.SelectMany(t => Enumerable.Range(0, t.TeacherSeeds).Select(k => $"Teacher-{t.Name}-{k}")).Concat(spec.Stages.Select(s => s.Name));
        Assert.Equal(expected.Order(StringComparer.Ordinal), training.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        foreach (var (stage, node) in training.Where(kv => learns(kv.Key)))
            Assert.True(node!["last_loss"]!.GetValue<double>() < 0.8 * node["first_loss"]!.GetValue<double>(), $"{stage}: loss {node["first_loss"]} -> {node["last_loss"]}");
    }

    private static void AssertMrcLearned(JsonNode? hasAnsExact, string where) =>
        Assert.True(hasAnsExact!.GetValue<double>() > UntrainedHasAnsExact + 18, $"{where}: HasAns EM {hasAnsExact}");

    // Multi-task pretraining with and without KD, and finetuning from it. The toy NLI task needs over a thousand
    // steps to leave its plateau (TinyExperimentTests checks that it does), so here its stages run one short epoch and
    // the MRC task and the multi-task stages carry the learning check.
    [Fact]
    public void Tiny_table4_short_run_trains_teachers_mtl_and_finetuning_and_learns()
    {
        var entry = ShortRuns.Shortened("tiny-table4", trainExamples: 2000, epochs: 2, teacherEpochs: 2, multiTaskSteps: 120)
            .Tuned("FactsNli", s => s with { Epochs = 1 });
        var metrics = Run(entry);
        AssertStagesRanAndLearned(entry.Spec, metrics, stage => !stage.Contains("Nli", StringComparison.Ordinal));
        var rows = metrics["rows"]!.AsObject();
        Assert.Equal(["baseline", "mtl", "mtl+kd"], rows.Select(kv => kv.Key));
        foreach (var (row, tasks) in rows)
        {
            Assert.Equal(["FactsMrc", "FactsNli"], tasks!.AsObject().Select(kv => kv.Key));
            AssertMrcLearned(tasks["FactsMrc"]!["HasAns_exact"], row);
            Assert.InRange(tasks["FactsNli"]!["accuracy"]!.GetValue<double>(), 0, 1);
        }
        Assert.Equal(["Mtl", "MtlKd"], metrics["pretraining"]!.AsObject().Select(kv => kv.Key));
        foreach (var (stage, values) in metrics["pretraining"]!.AsObject()) AssertMrcLearned(values!["FactsMrc.HasAns_exact"], stage);
        Assert.Equal(2, metrics["teachers"]!.AsObject().Count);
    }

    // Three teachers, then every way of distilling them, each a short MRC run that must learn.
    [Fact]
    public void Tiny_table5_short_run_trains_three_teachers_and_every_distillation_and_learns()
    {
        var entry = ShortRuns.Shortened("tiny-table5", trainExamples: 2000, epochs: 2, teacherEpochs: 2);
        var metrics = Run(entry);
        AssertStagesRanAndLearned(entry.Spec, metrics, _ => true);
        var rows = metrics["rows"]!.AsObject();
        Assert.Equal(["single", "ensemble", "kd", "annealing", "weighted-kd"], rows.Select(kv => kv.Key));
        foreach (var (row, tasks) in rows) AssertMrcLearned(tasks!["FactsMrc"]!["HasAns_exact"], row);
        Assert.Equal(3, metrics["teachers"]!.AsObject().Count);
    }

    [Theory]
    [InlineData("tiny-table4")]
    [InlineData("tiny-table5")]
    public void Same_seed_gives_byte_identical_metrics_on_a_shortened_variant(string name)
    {
        var entry = ShortRuns.Shortened(name, trainExamples: 128, epochs: 1);
        string first = Run(entry, seed: 3).ToJsonString();
        string second = Run(entry, seed: 3).ToJsonString();
        Assert.Equal(first, second);
        var folders = Directory.GetDirectories(Path.Combine(_output, name));
        Assert.Equal(2, folders.Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folders[0], "metrics.json")), File.ReadAllBytes(Path.Combine(folders[1], "metrics.json")));
    }
}
