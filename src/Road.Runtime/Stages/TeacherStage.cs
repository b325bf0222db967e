using Road.Distillation;
using Road.Heads;
using Road.Pipeline;
using Road.Training;

namespace Road.Stages;

/// <summary>
/// One teacher: finetunes the initial encoder (or the encoder of stage <see cref="TaskSpec.TeacherFrom"/>, a
/// ROaD-MTL model say, or a teacher encoder of its own: <see cref="TeacherGroupSpec"/>) on a dataset with the
/// teacher settings and the seed of its own stage, evaluates it, and runs it over the training features. A teacher of
/// another tokenizer reads the dataset in its own features and its MRC outputs are mapped onto the student's windows
/// (<see cref="SpanTargetMapping"/>); classification logits need no mapping. Output: its soft targets over the
/// student's features (kept for distilling stages, and saved as
/// <c>stages/DistillTargets/&lt;dataset&gt;[-&lt;encoder&gt;]-&lt;k&gt;.safetensors</c> in bf16 with provenance).
/// </summary>
public static class TeacherStage
{
    private const string Prefix = "Teacher-";

    /// <param name="encoder">the teacher encoder's name; empty for the experiment's encoder</param>
    public static string Name(string dataset, int seedIndex, string encoder = "") =>
        encoder.Length == 0 ? $"{Prefix}{dataset}-{seedIndex}" : $"{Prefix}{dataset}-{encoder}-{seedIndex}";

    /// <summary>The soft targets file of the teacher stage <paramref name="stage"/> (named by <see cref="Name"/>).</summary>
    public static string TargetsFile(RunFolder folder, string stage) =>
        folder.File("stages", "DistillTargets", $"{stage[Prefix.Length..]}.safetensors");

    public static StageResult Run(StageContext context, BoundTask task, int seedIndex, string encoder = "")
    {
        var group = encoder.Length == 0 ? null : task.Spec.OtherTeachers?.FirstOrDefault(g => g.Encoder == encoder)
            ?? throw new RoadException($"dataset {task.Spec.Name} has no teachers of the encoder {encoder}.");
        var stage = new StageSpec(Name(task.Spec.Name, seedIndex, encoder), task.Spec.Name,
            group?.Settings ?? task.Spec.TeacherSettings ?? new FinetuneSettings(), Encoder: encoder);
        var teacher = encoder.Length == 0 ? null : context.TeacherEncoders.Get(encoder);
        var own = teacher is null ? context : context.For(teacher);
        var model = own.Encoders.Create(context.Spec.Name, teacher is null ? task.Spec.TeacherFrom : "");
        var head = TaskHeads.Create(task, model.Config);
        var result = FinetuneStage.Train(own, stage, task, model, head) with { Role = StageRole.Teacher };
        if (teacher is not null && context.Spec.Stages.Any(s => s.FromTeacher?.Stage(s.Target) == stage.Name)) context.Encoders.Adopt(stage.Name, model);
        var provenance = new Dictionary<string, object>
        {
            ["teacher"] = stage.Name,
            ["dataset"] = task.Spec.Name,
            ["seed_index"] = seedIndex,
            ["stage_seed"] = context.StageSeed,
            ["encoder"] = teacher?.Describe() ?? "the experiment's encoder",
            ["dev_metrics"] = result.Metrics,
            ["features"] = context.Data.Identity(task.Spec, "train"),
            ["dtype"] = "bfloat16",
        };
        SoftTargets targets;
        if (task.Mrc is not null)
        {
            var read = own.Features.Mrc(task, "train");
            targets = TeacherOutputs.Mrc(model, (MrcHead)head, read, task.Spec.MaxLength, context.Device);
            if (teacher is not null)
            {
                (targets, var coverage) = SpanTargetMapping.Mrc(targets, read, teacher.Tokenizer, context.Features.Mrc(task, "train"),
                    context.Data.Tokenizer, task.Mrc.Train, task.Spec.MaxLength);
                provenance["mapping"] = coverage;
                context.Progress.Note($"  {stage.Name}: mapped onto the student's tokens: {coverage.Describe()}");
            }
        }
        else
        {
            var read = own.Features.Classes(task, "train");
            int students = context.Features.Classes(task, "train").Count;
            if (read.Count != students)
                throw new RoadException($"{stage.Name}: the teacher reads {read.Count} training examples of {task.Spec.Name} and the student {students}; classification targets pair them one to one.");
            targets = TeacherOutputs.Pair(model, (ClassificationHead)head, read, context.Device);
        }
        if (context.Folder.Writes) targets.Save(TargetsFile(context.Folder, stage.Name), provenance);
        context.Teachers.Add(task.Spec.Name, targets);
        return result;
    }

    /// <summary>Whether a planned stage is a teacher (teacher stages are named by <see cref="Name"/>).</summary>
    public static bool IsTeacher(string stage) => stage.StartsWith(Prefix, StringComparison.Ordinal);
}
