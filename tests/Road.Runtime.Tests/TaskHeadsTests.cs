using System.Text.Json.Nodes;
using Road.Data;
using Road.Distillation;
using Road.Heads;
using Road.Pipeline;
using Road.Stages;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>QuAC's follow-up and yes/no heads, sentiment and paraphrase heads, on the real-format samples.</summary>
public sealed class TaskHeadsTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data");
    private readonly string _output = Directory.CreateTempSubdirectory("road-heads-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void Quac_heads_add_three_way_logits_on_cls()
    {
        torch.manual_seed(2);
        var head = new MrcHead(8, followupHead: true, yesNoHead: true);
        var logits = head.forward(randn(4, 10, 8));
        Assert.Equal([4L, 3], logits.Followup!.shape);
        Assert.Equal([4L, 3], logits.YesNo!.shape);
        Assert.Null(new MrcHead(8).forward(randn(4, 10, 8)).Followup);
    }

    // A generated plan in miniature: multi-task pretraining (MT-DNN heads) on QuAC, Amazon and QQP, then finetuning
    // sentiment and paraphrase from it.
    private sealed class Experiment(DataCatalog data) : IExperiment
    {
        public ExperimentSpec Spec => data.Spec;

        public StagePlan CreatePlan() => new(
        [
            new PlannedStage(Spec.Stages[0], c => MultiTaskStage.Run(c, Spec.Stages[0], [new BoundTask(Spec.Tasks[0], data.LoadMrc(Spec.Tasks[0])), new BoundTask(Spec.Tasks[1], data.LoadText(Spec.Tasks[1])), new BoundTask(Spec.Tasks[2], data.LoadPair(Spec.Tasks[2]))])),
            new PlannedStage(Spec.Stages[1], c => FinetuneStage.Run(c, Spec.Stages[1], new BoundTask(Spec.Tasks[1], data.LoadText(Spec.Tasks[1])))),
            new PlannedStage(Spec.Stages[2], c => FinetuneStage.Run(c, Spec.Stages[2], new BoundTask(Spec.Tasks[2], data.LoadPair(Spec.Tasks[2])))),
        ]);
    }

    [Fact]
    public void A_declared_class_count_that_disagrees_with_the_data_names_both()
    {
        string file = Path.Combine(Samples, "amazon/AMAZON_FASHION_5.sample.json");
        var amazon = new TaskSpec("Amazon", TaskKind.Sentiment, DataFormat.AmazonReviews, file, file, 0, MaxLength: 32, Classes: 3);
        var spec = new ExperimentSpec("ratings", "", 1, 1, new EncoderSpec(EncoderFamily.Electra, "", 32, 32, 1, 2, 32, 128, 0.0), [amazon], []);
        var error = Assert.Throws<RoadException>(() => new DataCatalog(spec).LoadText(amazon));
        Assert.Equal($"experiment ratings, dataset Amazon: the declaration says Classes = 3, but {file} (AmazonReviews) has 5 labels (1, 2, 3, 4, 5); declare Classes = 5.", error.Message);
    }

    [Fact]
    public void Quac_sentiment_and_paraphrase_train_together_and_report_their_metrics()
    {
        var quac = new TaskSpec("Quac", TaskKind.Mrc, DataFormat.Quac, Path.Combine(Samples, "quac/val_v0.2.sample.json"), Path.Combine(Samples, "quac/val_v0.2.sample.json"),
            0, MaxLength: 64, Stride: 16, MaxQueryLength: 16, FollowupHead: true, YesNoHead: true);
        var amazon = new TaskSpec("Amazon", TaskKind.Sentiment, DataFormat.AmazonReviews, Path.Combine(Samples, "amazon/AMAZON_FASHION_5.sample.json"), Path.Combine(Samples, "amazon/AMAZON_FASHION_5.sample.json"), 0, MaxLength: 32, Classes: 5);
        var qqp = new TaskSpec("Qqp", TaskKind.Paraphrase, DataFormat.GlueQqp, Path.Combine(Samples, "qqp/glue-dev.sample.tsv"), Path.Combine(Samples, "qqp/glue-dev.sample.tsv"), 0, MaxLength: 32, Classes: 2);
        string vocabulary = Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab", "bert-base-uncased-vocab.txt");
        var spec = new ExperimentSpec("heads", "", 1, 1, new EncoderSpec(EncoderFamily.Electra, "", 32, 32, 1, 2, 32, 128, 0.0, vocabulary), [quac, amazon, qqp],
        [
            new StageSpec("Pretrain", "", new FinetuneSettings(), StageKind.MultiTask, MultiTask: new MultiTaskSettings(Steps: 4, BatchSize: 8, ExamplesPerPass: 8, LearningRate: 1e-3, LayerDecay: 0.8, HeadPerDataset: true)),
            new StageSpec("TuneAmazon", "Amazon", new FinetuneSettings(Epochs: 1, BatchSize: 8, LearningRate: 1e-3, LayerDecay: 0.9), From: "Pretrain", Row: "from-mtl"),
            new StageSpec("TuneQqp", "Qqp", new FinetuneSettings(Epochs: 1, BatchSize: 8, LearningRate: 1e-3), From: "Pretrain", Row: "from-mtl"),
        ]);
        var outcome = ExperimentRunner.Run(new ExperimentEntry(spec, data => new Experiment(data)), new RunOptions("cpu", null, _output), new SilentProgress());
        var metrics = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!;
        var pretraining = metrics["pretraining"]!["Pretrain"]!.AsObject();
        foreach (var key in new[] { "Quac.followup_accuracy", "Quac.yesno_accuracy", "Quac.exact", "Amazon.accuracy", "Qqp.accuracy" })
            Assert.InRange(pretraining[key]!.GetValue<double>(), 0, 100);
        Assert.Equal(59, metrics["rows"]!["from-mtl"]!["Amazon"]!["total"]!.GetValue<int>());
        Assert.Equal(2, metrics["rows"]!["from-mtl"]!["Qqp"]!["total"]!.GetValue<int>());
        Assert.True(File.Exists(outcome.Folder.File("stages", "Pretrain", "Quac", "predictions.json")));
    }
}
