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
    IReadOnlyList<StageSpec> Stages,
    IReadOnlyList<TeacherEncoderSpec>? TeacherEncoders = null)
{
    public TeacherEncoderSpec TeacherEncoder(string name) =>
        TeacherEncoders?.FirstOrDefault(t => t.Name == name) ?? throw new RoadException($"experiment {Name} has no teacher encoder named {name}; declare it with [TeacherEncoder(\"{name}\", ...)].");

    /// <summary>Whether any dataset has teachers (of the experiment's encoder or of a teacher encoder).</summary>
    public bool HasTeachers => Tasks.Any(t => t.TeacherSeeds > 0 || t.OtherTeachers is { Count: > 0 });

    public TaskSpec Task(string name) =>
        Tasks.FirstOrDefault(t => t.Name == name) ?? throw new RoadException($"experiment {Name} has no dataset named {name}.");

    public StageSpec Stage(string name) =>
        Stages.FirstOrDefault(s => s.Name == name) ?? throw new RoadException($"experiment {Name} has no stage named {name}.");
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

/// <summary>An encoder a dataset's teachers are finetuned from instead of the experiment's: another family, size or
/// tokenizer (teachers bigger than their student, or an ensemble of BERT, ALBERT and ELECTRA), named for the teacher
/// groups that use it; or, with <see cref="Experiment"/> and <see cref="Stage"/>, the encoder that stage of the newest
/// completed run of an earlier experiment trained (<see cref="TeacherSources"/> resolves it to that folder).</summary>
public sealed record TeacherEncoderSpec(string Name, EncoderSpec Encoder, string Experiment = "", string Stage = "");

/// <summary>Teachers of a dataset finetuned from the teacher encoder <see cref="Encoder"/>, one per seed, after the
/// teachers of the experiment's own encoder.</summary>
public sealed record TeacherGroupSpec(string Encoder, int Seeds, FinetuneSettings Settings);

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
/// (<see cref="Road.Data.Readers.ArticleRange"/>; empty: all). <see cref="MaxDevExamples"/> (0: all) is not in the
/// DSL: smoke runs set it.</summary>
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
    string DevArticles = "",
    string TeacherFrom = "",
    string Label = "",
    int MaxDevExamples = 0,
    IReadOnlyList<TeacherGroupSpec>? OtherTeachers = null)
{
    /// <summary>The dataset's column heading in the report: its label, or its name.</summary>
    public string Column => Label.Length > 0 ? Label : Name;

    /// <summary>Whether the dataset is only evaluated on (no training file).</summary>
    public bool EvaluationOnly => Train.Length == 0;

    /// <summary>Whether it has a dev set to score on: a dev file, or the toy task's own (Amazon reviews, say, have no split).</summary>
    public bool Scored => Dev.Length > 0 || Format == DataFormat.Toy;
}

/// <summary>What a declared stage does.</summary>
public enum StageKind
{
    Finetune,
    MultiTask,
    Evaluate,
}

/// <summary>The paper's figures for a result cell (EM and F1 for MRC, accuracy in percent), shown beside Road's.</summary>
public sealed record PaperFigures(double? Em = null, double? F1 = null, double? Accuracy = null);

/// <summary>
/// A declared stage: finetuning on <see cref="Target"/> (from the experiment's encoder, or from the encoder stage
/// <see cref="From"/> produced), multi-task pretraining on <see cref="Datasets"/> (every dataset when null), or the
/// evaluation of stage <see cref="Model"/>'s model on <see cref="Target"/>'s dev set; with distillation where
/// declared. <see cref="Row"/> names the result row in the report (a row of the paper's tables), <see cref="Paper"/>
/// the paper's figures for it. A teacher stage finetunes the teacher encoder <see cref="Encoder"/> (empty: the
/// experiment's). A finetuning stage with <see cref="FromTeacher"/> starts from layers of a teacher's encoder.
/// </summary>
public sealed record StageSpec(
    string Name,
    string Target,
    FinetuneSettings Settings,
    StageKind Kind = StageKind.Finetune,
    string From = "",
    string Row = "",
    MultiTaskSettings? MultiTask = null,
    Road.Distillation.DistillationSpec? Distillation = null,
    IReadOnlyList<string>? Datasets = null,
    string Model = "",
    PaperFigures? Paper = null,
    string Encoder = "",
    TeacherLayers? FromTeacher = null);

/// <summary>Where a smaller student starts (DistilBERT's initialisation, which keeps every other layer of its
/// teacher): the embeddings and the layers <see cref="Layers"/>, in order, of the first teacher of the stage's dataset
/// finetuned from the teacher encoder <see cref="Encoder"/>. The student has the teacher's sizes but for its number
/// of layers, one per entry.</summary>
public sealed record TeacherLayers(string Encoder, IReadOnlyList<int> Layers)
{
    /// <summary>The teacher stage whose encoder a stage finetuning on <paramref name="dataset"/> starts from.</summary>
    public string Stage(string dataset) => Road.Stages.TeacherStage.Name(dataset, 0, Encoder);
}

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
