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
/// With a <see cref="TeacherCache"/>, a teacher trained before on the same inputs is taken from it instead.
/// </summary>
public static class TeacherStage
{
    public static string Name(string dataset, int seedIndex) => $"Teacher-{dataset}-{seedIndex}";

    public static string TargetsFile(RunFolder folder, string dataset, int seedIndex) =>
        folder.File("stages", "DistillTargets", $"{dataset}-{seedIndex}.safetensors");

    public static StageResult Run(StageContext context, BoundTask task, int seedIndex)
    {
        var stage = new StageSpec(Name(task.Spec.Name, seedIndex), task.Spec.Name, task.Spec.TeacherSettings ?? new FinetuneSettings());
        string targetsFile = TargetsFile(context.Folder, task.Spec.Name, seedIndex);
        string? key = context.TeacherCache is not null && task.Spec.TeacherFrom.Length == 0
            ? CacheKey(context.Encoders.Initial, context.Data, task, stage.Settings, context.StageSeed, context.Device.type.ToString(), context.Precision)
            : null;
        if (key is not null && context.TeacherCache!.TryRestore(key, context.Folder.Writes ? targetsFile : null) is { } cached)
        {
            context.Progress.Note($"  {stage.Name}: reused from the teacher cache ({key[..12]})");
            context.Teachers.Add(task.Spec.Name, SoftTargets.Load(cached.Targets));
            return new StageResult(stage.Name, task.Spec.Name, new TrainingSummary(stage.Name, Steps: 0, FirstLoss: 0, LastLoss: 0), cached.Metrics, StageRole.Teacher);
        }
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
        if (key is not null && context.Folder.Writes) context.TeacherCache!.Store(key, targetsFile, result.Metrics);
        return result;
    }

    /// <summary>Whether a planned stage is a teacher (teacher stages are named by <see cref="Name"/>).</summary>
    public static bool IsTeacher(string stage) => stage.StartsWith("Teacher-", StringComparison.Ordinal);

    /// <summary>The <see cref="TeacherCache"/> key of a teacher: everything that decides its soft targets and metrics,
    /// none of which names the experiment.</summary>
    public static string CacheKey(InitialEncoder initial, DataCatalog data, BoundTask task, FinetuneSettings settings, int stageSeed, string device, Precision precision)
    {
        var spec = task.Spec;
        bool scored = spec.Dev.Length > 0 || spec.Format == DataFormat.Toy;
        return TeacherCache.Key(
        [
            initial.Identity,
            data.Tokenizer.Fingerprint,
            $"{spec.Kind} max {spec.MaxLength} stride {spec.Stride} query {spec.MaxQueryLength} classes {task.Classes} followup {spec.FollowupHead} yesno {spec.YesNoHead}",
            data.Identity(spec, "train"),
            scored ? data.Identity(spec, "dev") : "no dev",
            settings.ToString(),
            $"seed {stageSeed} device {device.ToLowerInvariant()} precision {precision}",
        ]);
    }
}
