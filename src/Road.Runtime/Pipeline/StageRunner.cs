using Road.Data;
using Road.Encoders;
using Road.Evaluation;
using Road.Heads;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Pipeline;

/// <summary>What a stage produced: its training curve summary and the dev metrics of its target task.</summary>
public sealed record StageResult(string Stage, string Task, TrainingSummary Training, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// The runtime half of a generated stage plan: builds encoders, trains a head on a dataset and evaluates it. Every
/// stage starts from the same initial encoder (the checkpoint, or fresh weights drawn from the stage's seed).
/// </summary>
public sealed class StageRunner(ExperimentSpec spec, DataCatalog data, Device device, int seed, ITrainingProgress progress, RunFolder folder, Precision precision = Precision.Float32)
{
    private int _stageIndex;

    /// <summary>The seed of the stage about to run; set by the experiment runner.</summary>
    internal int StageSeed => seed + 1000 * _stageIndex;

    internal void BeginStage(int index)
    {
        _stageIndex = index;
        torch.manual_seed(StageSeed);
    }

    public EncoderModel CreateEncoder()
    {
        var e = spec.Encoder;
        if (!string.IsNullOrEmpty(e.Checkpoint)) return EncoderCheckpoint.Load(DataCatalog.CheckpointFolder(spec));
        var encoder = EncoderModel.Create(new EncoderConfig
        {
            ModelType = e.Family.ToString().ToLowerInvariant(),
            VocabSize = DataCatalog.ToyVocabularySize,
            EmbeddingSize = e.EmbeddingSize,
            HiddenSize = e.HiddenSize,
            NumHiddenLayers = e.Layers,
            NumAttentionHeads = e.Heads,
            IntermediateSize = e.IntermediateSize,
            MaxPositionEmbeddings = e.MaxPositions,
            HiddenDropoutProb = e.Dropout,
            AttentionProbsDropoutProb = e.Dropout,
        });
        WeightInitialization.Apply(encoder);
        return encoder;
    }

    public StageResult FinetuneMrc(StageSpec stage, MrcDataset dataset, EncoderModel encoder, MrcHead head)
    {
        var task = spec.Task(stage.Target);
        var windows = new MrcWindowSettings(task.MaxLength, task.Stride, task.MaxQueryLength);
        var train = data.Cache.Mrc([data.Tokenizer.Fingerprint, windows.ToString(), data.Identity(task, "train")], () => MrcFeatureBuilder.Build(dataset.Train, data.Tokenizer, windows));
        var dev = data.Cache.Mrc([data.Tokenizer.Fingerprint, windows.ToString(), data.Identity(task, "dev")], () => MrcFeatureBuilder.Build(dataset.Dev, data.Tokenizer, windows));
        Prepare(encoder, head);
        var summary = new Finetuner(device, progress, precision).Train(stage.Name, encoder, new MrcObjective(task.Name, head, train, stage.Settings.LabelSmoothing), stage.Settings, StageSeed);
        var (m, predictions) = new TaskEvaluator(device).Mrc(encoder, head, dataset.Dev, dev);
        MrcPredictionFiles.Write(predictions, folder.File("stages", stage.Name, "predictions.json"), folder.File("stages", stage.Name, "na_probs.json"));
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["exact"] = m.Exact, ["f1"] = m.F1, ["total"] = m.Total,
            ["HasAns_total"] = m.HasAnsTotal, ["NoAns_total"] = m.NoAnsTotal,
        };
        if (m.HasAnsExact is { } he) (metrics["HasAns_exact"], metrics["HasAns_f1"]) = (he, m.HasAnsF1!.Value);
        if (m.NoAnsExact is { } ne) (metrics["NoAns_exact"], metrics["NoAns_f1"]) = (ne, m.NoAnsF1!.Value);
        if (m.BestExact is { } be) (metrics["best_exact"], metrics["best_f1"]) = (be, m.BestF1!.Value);
        return new StageResult(stage.Name, task.Name, summary, metrics);
    }

    public StageResult FinetunePair(StageSpec stage, PairDataset dataset, EncoderModel encoder, ClassificationHead head)
    {
        var task = spec.Task(stage.Target);
        string settings = $"max length {task.MaxLength}";
        var train = data.Cache.Pairs([data.Tokenizer.Fingerprint, settings, data.Identity(task, "train")], () => PairFeatureBuilder.Build(dataset.Train, data.Tokenizer, task.MaxLength));
        var dev = data.Cache.Pairs([data.Tokenizer.Fingerprint, settings, data.Identity(task, "dev")], () => PairFeatureBuilder.Build(dataset.Dev, data.Tokenizer, task.MaxLength));
        Prepare(encoder, head);
        var summary = new Finetuner(device, progress, precision).Train(stage.Name, encoder, new PairObjective(task.Name, head, train, stage.Settings.LabelSmoothing), stage.Settings, StageSeed);
        var accuracy = new TaskEvaluator(device).Pair(encoder, head, dev);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = accuracy.Accuracy, ["total"] = accuracy.Total };
        return new StageResult(stage.Name, task.Name, summary, metrics);
    }

    private void Prepare(EncoderModel encoder, nn.Module head)
    {
        WeightInitialization.Apply(head);
        encoder.to(device);
        head.to(device);
    }
}
