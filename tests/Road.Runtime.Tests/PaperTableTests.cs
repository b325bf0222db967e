using System.Text.Json.Nodes;
using Road.Examples.Generated;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// tiny-table4 and tiny-table5 end to end: every stage ran and learned, every row is well above chance, and the same
/// seed gives the same metrics.json (on a shortened variant). Not that ROaD wins on toy data.
/// </summary>
public sealed class PaperTableTests : IDisposable
{
    // Always answering "no answer" scores 31.6 EM on the toy dev set (158 of 500); three NLI classes give 0.33.
    private const double MrcChance = 31.6;
    private const double NliChance = 1 / 3.0;

    private readonly string _output = Path.Combine(Path.GetTempPath(), "road-tables-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    private static ExperimentEntry Entry(string name) => ExperimentRegistry.All.Single(e => e.Spec.Name == name);

    private JsonNode Run(ExperimentEntry entry, int? seed = null)
    {
        var outcome = ExperimentRunner.Run(entry, new RunOptions("cpu", seed, _output), new SilentProgress());
        return JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!;
    }

    private static void AssertEveryStageLearned(ExperimentSpec spec, JsonNode metrics)
    {
        var training = metrics["training"]!.AsObject();
        var expected = spec.Tasks.SelectMany(t => Enumerable.Range(0, t.TeacherSeeds).Select(k => $"Teacher-{t.Name}-{k}")).Concat(spec.Stages.Select(s => s.Name));
        Assert.Equal(expected.Order(StringComparer.Ordinal), training.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        foreach (var (stage, node) in training)
            Assert.True(node!["last_loss"]!.GetValue<double>() < 0.8 * node["first_loss"]!.GetValue<double>(), $"{stage}: loss {node["first_loss"]} -> {node["last_loss"]}");
    }

    private static void AssertAboveChance(JsonNode task, string where)
    {
        if (task["exact"] is { } exact) Assert.True(exact.GetValue<double>() > MrcChance + 10, $"{where}: EM {exact}");
        else Assert.True(task["accuracy"]!.GetValue<double>() > NliChance + 0.05, $"{where}: accuracy {task["accuracy"]}");
    }

    [Fact]
    public void Tiny_table4_runs_teachers_mtl_and_finetuning_and_learns()
    {
        var entry = Entry("tiny-table4");
        var metrics = Run(entry);
        AssertEveryStageLearned(entry.Spec, metrics);
        var rows = metrics["rows"]!.AsObject();
        Assert.Equal(["baseline", "mtl", "mtl+kd"], rows.Select(kv => kv.Key));
        foreach (var (row, tasks) in rows)
        {
            Assert.Equal(["FactsMrc", "FactsNli"], tasks!.AsObject().Select(kv => kv.Key));
            foreach (var (task, values) in tasks.AsObject()) AssertAboveChance(values!, $"{row}/{task}");
        }
        Assert.Equal(2, metrics["pretraining"]!.AsObject().Count);
        Assert.Equal(2, metrics["teachers"]!.AsObject().Count);
    }

    [Fact]
    public void Tiny_table5_runs_three_teachers_and_every_distillation_and_learns()
    {
        var entry = Entry("tiny-table5");
        var metrics = Run(entry);
        AssertEveryStageLearned(entry.Spec, metrics);
        var rows = metrics["rows"]!.AsObject();
        Assert.Equal(["single", "ensemble", "kd", "annealing", "weighted-kd"], rows.Select(kv => kv.Key));
        foreach (var (row, tasks) in rows) AssertAboveChance(tasks!["FactsMrc"]!, row);
        Assert.Equal(3, metrics["teachers"]!.AsObject().Count);
    }

    [Theory]
    [InlineData("tiny-table4")]
    [InlineData("tiny-table5")]
    public void Same_seed_gives_byte_identical_metrics_on_a_shortened_variant(string name)
    {
        var spec = Entry(name).Spec;
        var shortened = spec with
        {
            Tasks = spec.Tasks.Select(t => t with { MaxTrainExamples = 128, TeacherSettings = t.TeacherSettings! with { Epochs = 1 } }).ToList(),
            Stages = spec.Stages.Select(s => s with { Settings = s.Settings with { Epochs = 1 }, MultiTask = s.MultiTask is null ? null : s.MultiTask with { Steps = 8 } }).ToList(),
        };
        var entry = new ExperimentEntry(shortened, Entry(name).Create);
        string first = Run(entry, seed: 3).ToJsonString();
        string second = Run(entry, seed: 3).ToJsonString();
        Assert.Equal(first, second);
        var folders = Directory.GetDirectories(Path.Combine(_output, name));
        Assert.Equal(2, folders.Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folders[0], "metrics.json")), File.ReadAllBytes(Path.Combine(folders[1], "metrics.json")));
    }
}
