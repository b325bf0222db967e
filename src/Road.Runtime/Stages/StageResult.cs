using Road.Training;

namespace Road.Stages;

/// <summary>What a stage produced: its training curve summary and the dev metrics of its target task, and for a
/// finetuning or teacher stage the model it left.</summary>
public sealed record StageResult(string Stage, string Task, TrainingSummary Training, IReadOnlyDictionary<string, double> Metrics,
    StageRole Role = StageRole.Finetune, string Row = "", ModelFacts? Model = null);

/// <summary>A trained model as the report compares students and teachers: its encoder (family, layers x hidden size,
/// tokenizer), its parameters (encoder and head), and its inference speed on the run's device as the inference
/// benchmark measures it (<see cref="Road.Benchmarks.InferenceSpeed"/>; 0 without a dev set to time it on).</summary>
public sealed record ModelFacts(string Encoder, long Parameters, double FeaturesPerSecond);

/// <summary>Where a stage's result goes in metrics.json and the report.</summary>
public enum StageRole
{
    Finetune,
    Teacher,
    MultiTask,
}
