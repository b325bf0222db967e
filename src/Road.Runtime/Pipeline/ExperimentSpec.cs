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

/// <summary>The shared encoder: a checkpoint folder, or a fresh encoder of the given size.</summary>
public sealed record EncoderSpec(
    EncoderFamily Family,
    string Checkpoint,
    int EmbeddingSize,
    int HiddenSize,
    int Layers,
    int Heads,
    int IntermediateSize,
    int MaxPositions,
    double Dropout);

/// <summary>The kind of head a dataset is bound to.</summary>
public enum TaskKind
{
    Mrc,
    Nli,
}

/// <summary>One dataset bound to a head, with where its files are and how its inputs are built.</summary>
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
    double NegativeQuestionRatio = 0);

/// <summary>A finetuning stage on one dataset.</summary>
public sealed record StageSpec(string Name, string Target, FinetuneSettings Settings);
