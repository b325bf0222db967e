using Road.Pipeline;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>
/// Multi-task pretraining (Algorithm 1) on every dataset of the experiment. Inputs: the declaration, the datasets,
/// the encoder it starts from and, when it distils, every dataset's teachers. Heads: one per task type shared by its
/// datasets (ROaD), or one per dataset (MT-DNN). Outputs: the trained encoder (kept for the stages that start from
/// it) and each dataset's dev metrics.
/// </summary>
public static class MultiTaskStage
{
    public static StageResult Run(StageContext context, StageSpec stage, IReadOnlyList<BoundTask> tasks)
    {
        var settings = stage.MultiTask ?? new MultiTaskSettings();
        var encoder = context.Encoders.Create(context.Spec.Name, stage.From).to(context.Device);
        var heads = new Dictionary<string, nn.Module>(StringComparer.Ordinal);
        nn.Module HeadFor(BoundTask task)
        {
            string key = settings.HeadPerDataset ? task.Spec.Name : TaskHeads.SharingKey(task);
            if (!heads.TryGetValue(key, out var head)) heads[key] = head = TaskHeads.Create(task, encoder.Config).to(context.Device);
            return head;
        }
        var distiller = TaskObjectives.Distiller(stage);
        var objectives = tasks.Select(t => TaskObjectives.Create(context, t, HeadFor(t), stage.Settings.LabelSmoothing, distiller)).ToList();
        var summary = new MultiTaskTrainer(context.Device, context.Progress, context.Precision, context.Group).Train(stage.Name, encoder, objectives, settings,
            context.StageSeed, TaskObjectives.Annealing(distiller), context.Checkpoint(), context.CheckpointEvery);
        context.WriteLosses(summary);
        context.Encoders.Keep(stage.Name, encoder);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (task, objective) in tasks.Zip(objectives))
        foreach (var (key, value) in DevEvaluation.Evaluate(context, task, encoder, objective.Head, task.Spec.Name))
            metrics[$"{task.Spec.Name}.{key}"] = value;
        return new StageResult(stage.Name, string.Join("+", tasks.Select(t => t.Spec.Name)), summary, metrics, StageRole.MultiTask);
    }
}
