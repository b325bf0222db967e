using Road.Distillation;
using Road.Heads;
using Road.Pipeline;
using Road.Training;

namespace Road.Stages;

/// <summary>
/// One teacher: finetunes the initial encoder (or the encoder of stage <see cref="TaskSpec.TeacherFrom"/>, a
/// ROaD-MTL model say) on a dataset with the dataset's teacher settings and the seed of its
/// own stage, evaluates it, and runs it over the training features. Output: its soft targets (kept for distilling
/// stages, and saved as <c>stages/DistillTargets/&lt;dataset&gt;-&lt;k&gt;.safetensors</c> in bf16 with provenance).
/// </summary>
public static class TeacherStage
{
    public static string Name(string dataset, int seedIndex) => $"Teacher-{dataset}-{seedIndex}";

    public static string TargetsFile(RunFolder folder, string dataset, int seedIndex) =>
        folder.File("stages", "DistillTargets", $"{dataset}-{seedIndex}.safetensors");

    /// <summary>The soft targets file of the teacher stage <paramref name="stage"/> (named by <see cref="Name"/>).</summary>
    public static string TargetsFile(RunFolder folder, string stage, string dataset) => TargetsFile(folder, dataset, SeedIndex(stage));

    public static int SeedIndex(string stage) => int.Parse(stage[(stage.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public static StageResult Run(StageContext context, BoundTask task, int seedIndex)
    {
        var stage = new StageSpec(Name(task.Spec.Name, seedIndex), task.Spec.Name, task.Spec.TeacherSettings ?? new FinetuneSettings());
        string targetsFile = TargetsFile(context.Folder, task.Spec.Name, seedIndex);
        var encoder = context.Encoders.Create(context.Spec.Name, task.Spec.TeacherFrom);
        var head = TaskHeads.Create(task, encoder.Config);
        var result = FinetuneStage.Train(context, stage, task, encoder, head) with { Role = StageRole.Teacher };
        var targets = task.Mrc is not null
            ? TeacherOutputs.Mrc(encoder, (MrcHead)head, context.Features.Mrc(task, "train"), task.Spec.MaxLength, context.Device)
            : TeacherOutputs.Pair(encoder, (ClassificationHead)head, context.Features.Classes(task, "train"), context.Device);
        if (context.Folder.Writes) targets.Save(targetsFile, new Dictionary<string, object>
        {
            ["teacher"] = stage.Name,
            ["dataset"] = task.Spec.Name,
            ["seed_index"] = seedIndex,
            ["stage_seed"] = context.StageSeed,
            ["dev_metrics"] = result.Metrics,
            ["features"] = context.Data.Identity(task.Spec, "train"),
            ["dtype"] = "bfloat16",
        });
        context.Teachers.Add(task.Spec.Name, targets);
        return result;
    }

    /// <summary>Whether a planned stage is a teacher (teacher stages are named by <see cref="Name"/>).</summary>
    public static bool IsTeacher(string stage) => stage.StartsWith("Teacher-", StringComparison.Ordinal);
}
