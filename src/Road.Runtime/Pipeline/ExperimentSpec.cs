using Road.Training;

namespace Road.Pipeline;

/// <summary>Everything an experiment declares, resolved: what the generator emits for each experiment class.</summary>
public sealed record ExperimentSpec(
    string Name,
    string Description,
    int Seed,
    int Runs,
    EncoderSpec Encoder,
    IReadOnlyList<TaskSpec> Tasks,
    IReadOnlyList<StageSpec> Stages)
{
    public TaskSpec Task(string name) =>
        Tasks.FirstOrDefault(t => t.Name == name) ?? throw new RoadException($"experiment {Name} has no dataset named {name}.");
}

/// <summary>The shared encoder: a checkpoint folder, or a fresh encoder of the given size; and where its tokenizer
/// comes from when not from the checkpoint (a vocabulary file or another checkpoint folder).</summary>
public sealed record EncoderSpec(
    EncoderFamily Family,
    string Checkpoint,
    int EmbeddingSize,
    int HiddenSize,
    int Layers,
    int Heads,
    int IntermediateSize,
    int MaxPositions,
    double Dropout,
    string Vocabulary = "");

/// <summary>The kind of head a dataset is bound to.</summary>
public enum TaskKind
{
    Mrc,
    Nli,
    Sentiment,
    Paraphrase,
}

/// <summary>One dataset bound to a head, with where its files are and how its inputs are built.
/// <see cref="TrainArticles"/> and <see cref="DevArticles"/> select articles of SQuAD- and QuAC-format files
/// (<see cref="Road.Data.Readers.ArticleRange"/>; empty: all).</summary>
public sealed record TaskSpec(
    string Name,
    TaskKind Kind,
    DataFormat Format,
    string Train,
    string Dev,
    int MaxTrainExamples,
    int MaxLength,
    int Stride = 0,
    int MaxQueryLength = 0,
    double NegativeQuestionRatio = 0,
    int TeacherSeeds = 0,
    FinetuneSettings? TeacherSettings = null,
    int Classes = 0,
    bool FollowupHead = false,
    bool YesNoHead = false,
    string TrainArticles = "",
    string DevArticles = "");

/// <summary>What a declared stage does.</summary>
public enum StageKind
{
    Finetune,
    MultiTask,
}

/// <summary>
/// A declared stage: finetuning on <see cref="Target"/> (from the experiment's encoder, or from the encoder stage
/// <see cref="From"/> produced), or multi-task pretraining on every dataset; with distillation where declared.
/// <see cref="Row"/> names the result row of a finetuning stage in the report (a row of the paper's tables).
/// </summary>
public sealed record StageSpec(
    string Name,
    string Target,
    FinetuneSettings Settings,
    StageKind Kind = StageKind.Finetune,
    string From = "",
    string Row = "",
    MultiTaskSettings? MultiTask = null,
    Road.Distillation.DistillationSpec? Distillation = null);

/// <summary>Multi-task pretraining hyperparameters (the paper's Table 8 defaults).</summary>
public sealed record MultiTaskSettings(
    int Steps = RoadDefaults.MultiTaskSteps,
    int BatchSize = RoadDefaults.MultiTaskBatchSize,
    int ExamplesPerPass = RoadDefaults.ExamplesPerPass,
    double LearningRate = RoadDefaults.MultiTaskLearningRate,
    double LayerDecay = RoadDefaults.MultiTaskLayerDecay,
    SamplingMode Sampling = SamplingMode.Proportional,
    double SamplingTemperature = RoadDefaults.SamplingTemperature,
    bool HeadPerDataset = false,
    double WarmupFraction = RoadDefaults.WarmupFraction,
    double WeightDecay = RoadDefaults.WeightDecay,
    double MaxGradNorm = RoadDefaults.MaxGradNorm);
