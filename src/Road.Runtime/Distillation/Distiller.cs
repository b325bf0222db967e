using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Road.Distillation;

/// <summary>How a student learns from its teachers' outputs.</summary>
public enum DistillationKind
{
    /// <summary>The KD loss against one teacher (the first seed).</summary>
    Kd,
    /// <summary>The KD loss against the mean of all teachers' logits (weighted KD with W = 1).</summary>
    Ensemble,
    /// <summary>The KD loss against the weighted mean of Algorithm 2.</summary>
    WeightedKd,
    /// <summary>Teacher annealing from the teachers' mean towards the gold labels.</summary>
    Annealing,
}

/// <summary>The distillation settings of a stage.</summary>
public sealed record DistillationSpec(DistillationKind Kind, double Temperature = RoadDefaults.Temperature, double Alpha = RoadDefaults.Alpha, double W = RoadDefaults.W, int Teachers = 1);

/// <summary>
/// Turns a student's logits of one output distribution, the gold labels and the teachers' logits of the same batch into
/// the stage's loss. <see cref="Progress"/> (0 to 1 over training) drives teacher annealing.
/// </summary>
public sealed class Distiller(DistillationSpec spec, double labelSmoothing = 0)
{
    public DistillationSpec Spec { get; } = spec;

    public double Progress { get; set; }

    /// <param name="student">[batch, classes]</param>
    /// <param name="gold">[batch]</param>
    /// <param name="teachers">one [batch, classes] tensor per teacher</param>
    /// <param name="correct">per teacher, whether it was right in its own tokenization ([batch] of 1 and 0), where
    /// its argmax against <paramref name="gold"/> cannot tell (weighted KD only)</param>
    public Tensor Loss(Tensor student, Tensor gold, IReadOnlyList<Tensor> teachers, IReadOnlyList<Tensor?>? correct = null)
    {
        if (teachers.Count == 0) throw new RoadException("distillation asked for, but no teacher outputs were given.");
        var kd = new KdLoss(Spec.Temperature, Spec.Alpha, labelSmoothing);
        return Spec.Kind switch
        {
            DistillationKind.Kd => kd.Compute(student, teachers[0], gold),
            DistillationKind.Ensemble => kd.Compute(student, new WeightedKd(1.0).SoftTarget(teachers, gold), gold),
            DistillationKind.WeightedKd => kd.Compute(student, new WeightedKd(Spec.W).SoftTarget(teachers, gold, correct), gold),
            DistillationKind.Annealing => TeacherAnnealing.Loss(student, new WeightedKd(1.0).SoftTarget(teachers, gold), gold, Progress),
            _ => throw new RoadException($"unknown distillation kind {Spec.Kind}."),
        };
    }

    /// <summary>A single logit (answerability) as the two-class distribution [no, yes] the losses work on.</summary>
    public static Tensor Binary(Tensor logit) => stack([zeros_like(logit), logit], 1);
}
