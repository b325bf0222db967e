using Road.Training;

namespace Road.Stages;

/// <summary>What a stage produced: its training curve summary and the dev metrics of its target task.</summary>
public sealed record StageResult(string Stage, string Task, TrainingSummary Training, IReadOnlyDictionary<string, double> Metrics,
    StageRole Role = StageRole.Finetune, string Row = "");

/// <summary>Where a stage's result goes in metrics.json and the report.</summary>
public enum StageRole
{
    Finetune,
    Teacher,
    MultiTask,
}
