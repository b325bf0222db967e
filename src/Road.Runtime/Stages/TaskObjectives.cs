using Road.Distillation;
using Road.Heads;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>
/// The training objective of a task in a stage, built in one place for every stage kind: the task's loss with the
/// stage's label smoothing, distilled from the dataset's teachers where the stage declares distillation.
/// </summary>
public static class TaskObjectives
{
    /// <summary>The stage's distiller (one per stage, shared by its tasks so annealing advances once per step); null without distillation.</summary>
    public static Distiller? Distiller(Road.Pipeline.StageSpec stage) =>
        stage.Distillation is { } d ? new Distiller(d, stage.Settings.LabelSmoothing) : null;

    public static ITaskObjective Create(StageContext context, BoundTask task, nn.Module head, double labelSmoothing, Distiller? distiller)
    {
        var teachers = distiller is null ? null : context.Teachers.For(context.Spec.Name, task.Spec.Name, distiller.Spec);
        return task.Mrc is not null
            ? new MrcObjective(task.Spec.Name, (MrcHead)head, context.Features.Mrc(task, "train"), labelSmoothing, distiller, teachers)
            : new PairObjective(task.Spec.Name, (ClassificationHead)head, context.Features.Classes(task, "train"), labelSmoothing, distiller, teachers);
    }

    /// <summary>Drives teacher annealing from the training loop's position.</summary>
    public static Action<int, int> Annealing(Distiller? distiller) =>
        (step, total) => { if (distiller is not null) distiller.Progress = TeacherAnnealing.Progress(step, total); };
}
