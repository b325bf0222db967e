using System.Text.Json.Nodes;
using Road.Examples;
using Road.Examples.Generated;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>The tiny default experiment, end to end through the generated registry and plan.</summary>
public sealed class TinyExperimentTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "road-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public void Registry_finds_the_tiny_experiment_by_name()
    {
        var entry = Assert.Single(ExperimentRegistry.All, e => e.Spec.Name == "road-tiny");
        Assert.Same(RoadTiny.Specification, entry.Spec);
        Assert.Equal(["FinetuneMrc", "FinetuneNli"], entry.Spec.Stages.Select(s => s.Name));
    }

    // The default experiment shortened to a few seconds: the toy NLI task needs more steps than MRC to leave its plateau.
    [Fact]
    public void Tiny_experiment_learns_both_tasks_well_above_an_untrained_model()
    {
        var entry = ShortRuns.Shortened("road-tiny", trainExamples: 2000, epochs: 2)
            .Tuned("FactsNli", s => s with { Epochs = 20, LearningRate = 1e-3 });
        var outcome = ExperimentRunner.Run(entry, new RunOptions("cpu", null, _output), new SilentProgress());

        var metrics = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!;
        log.WriteLine(metrics.ToJsonString());
        // An untrained encoder scores 1.5 HasAns EM on the toy MRC dev set and 38.8% NLI accuracy (its majority class).
        Assert.True(metrics["tasks"]!["FactsMrc"]!["HasAns_exact"]!.GetValue<double>() > 20, metrics.ToJsonString());
        Assert.True(metrics["tasks"]!["FactsNli"]!["accuracy"]!.GetValue<double>() > 0.45, metrics.ToJsonString());
        foreach (var stage in outcome.Results)
            Assert.True(stage.Training.LastLoss < 0.9 * stage.Training.FirstLoss, $"{stage.Stage}: loss {stage.Training.FirstLoss} -> {stage.Training.LastLoss}");

        var manifest = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("manifest.json")))!;
        Assert.Equal("completed", manifest["status"]!.GetValue<string>());
        Assert.Equal(13, manifest["seed"]!.GetValue<int>());
        Assert.Contains("| FactsMrc | exact |", File.ReadAllText(outcome.Folder.File("report.md")));
        var predictions = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("stages", "FinetuneMrc", "predictions.json")))!.AsObject();
        var naProbs = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("stages", "FinetuneMrc", "na_probs.json")))!.AsObject();
        Assert.Equal(500, predictions.Count);
        Assert.Equal(predictions.Select(p => p.Key), naProbs.Select(p => p.Key));
        Assert.All(naProbs, p => Assert.InRange(p.Value!.GetValue<double>(), 0, 1));
        Assert.Equal(Path.Combine(_output, "road-tiny"), Path.GetDirectoryName(outcome.Folder.Path));
    }

    [Fact]
    public void Same_seed_gives_byte_identical_metrics()
    {
        var entry = ShortRuns.Shortened("road-tiny", trainExamples: 256, epochs: 1);
        var first = ExperimentRunner.Run(entry, new RunOptions("cpu", 5, _output), new SilentProgress());
        var second = ExperimentRunner.Run(entry, new RunOptions("cpu", 5, _output), new SilentProgress());
        Assert.NotEqual(first.Folder.Path, second.Folder.Path);
        Assert.Equal(File.ReadAllBytes(first.Folder.File("metrics.json")), File.ReadAllBytes(second.Folder.File("metrics.json")));
        var other = ExperimentRunner.Run(entry, new RunOptions("cpu", 6, _output), new SilentProgress());
        Assert.NotEqual(File.ReadAllBytes(first.Folder.File("metrics.json")), File.ReadAllBytes(other.Folder.File("metrics.json")));
    }

    [Fact]
    public void An_unknown_toy_task_is_rejected_before_any_work()
    {
        var spec = RoadTiny.Specification with { Tasks = [RoadTiny.Specification.Tasks[0] with { Train = "toy/nope" }, RoadTiny.Specification.Tasks[1]] };
        var entry = new ExperimentEntry(spec, data => new RoadTiny(data));
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(entry, new RunOptions("cpu", null, _output), new SilentProgress()));
        Assert.Contains("FactsMrc: unknown toy task \"toy/nope\"", error.Message);
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void A_missing_dataset_file_is_named_before_any_work()
    {
        var squad = RoadTiny.Specification.Tasks[0] with { Format = DataFormat.Squad2, Train = "squad2/train-v2.0.json", Dev = "" };
        var spec = RoadTiny.Specification with { Tasks = [squad, RoadTiny.Specification.Tasks[1]] };
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(new ExperimentEntry(spec, data => new RoadTiny(data)), new RunOptions("cpu", null, _output), new SilentProgress()));
        Assert.Contains($"FactsMrc train: {Path.Combine("data", "squad2", "train-v2.0.json")} not found; fetch it with ./build.sh FetchData --dataset squad2", error.Message);
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void Real_data_with_the_toy_vocabulary_is_rejected_before_any_work()
    {
        string sample = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "squad2", "dev-v2.0.sample.json");
        var squad = RoadTiny.Specification.Tasks[0] with { Format = DataFormat.Squad2, Train = sample, Dev = sample };
        var spec = RoadTiny.Specification with { Tasks = [squad, RoadTiny.Specification.Tasks[1]] };
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(new ExperimentEntry(spec, data => new RoadTiny(data)), new RunOptions("cpu", null, _output), new SilentProgress()));
        Assert.Equal("experiment road-tiny cannot run: FactsMrc is Squad2 data, but the encoder has neither a checkpoint nor a vocabulary, and the toy vocabulary would turn real text into [UNK]; declare [Encoder(..., Vocabulary = \"<vocab.txt, spiece.model or checkpoint folder>\")].", error.Message);
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void Articles_on_a_format_without_articles_and_bad_ranges_are_rejected_before_any_work()
    {
        var spec = RoadTiny.Specification with
        {
            Tasks = [RoadTiny.Specification.Tasks[0] with { TrainArticles = "0-3" }, RoadTiny.Specification.Tasks[1] with { DevArticles = "x" }],
        };
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(new ExperimentEntry(spec, data => new RoadTiny(data)), new RunOptions("cpu", null, _output), new SilentProgress()));
        Assert.Equal("experiment road-tiny cannot run: FactsMrc: articles can be selected in Squad2 and Quac files only, not Toy; FactsNli: articles can be selected in Squad2 and Quac files only, not Toy.", error.Message);
        Assert.False(Directory.Exists(_output));
    }
}
