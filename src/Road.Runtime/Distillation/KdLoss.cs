using Road.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Road.Distillation;

/// <summary>
/// The knowledge-distillation loss of one output distribution (DESIGN.md):
/// <c>L = (1 - alpha) * CE(student, gold) + alpha * T^2 * KL(softmax(t / T) || softmax(s / T))</c>, teacher and student at
/// the same temperature, averaged over the batch. Logits are [batch, classes] (for MRC, classes are window positions;
/// padding carries the same very low logit on both sides).
/// </summary>
public sealed record KdLoss(double Temperature = RoadDefaults.Temperature, double Alpha = RoadDefaults.Alpha, double LabelSmoothing = 0.0)
{
    public Tensor Compute(Tensor studentLogits, Tensor teacherLogits, Tensor gold)
    {
        if (Temperature <= 0) throw new RoadException($"the KD temperature must be positive, not {Temperature}.");
        if (Alpha is < 0 or > 1) throw new RoadException($"the KD weight alpha must be in [0, 1], not {Alpha}.");
        using var scope = NewDisposeScope();
        var student = studentLogits.to(ScalarType.Float32);
        var hard = cross_entropy(student, gold, null, -100, TorchSharp.torch.nn.Reduction.Mean, LabelSmoothing);
        var soft = Distillation(student, teacherLogits.to(ScalarType.Float32), Temperature);
        return hard.Times(1 - Alpha).Add(soft.Times(Alpha * Temperature * Temperature)).MoveToOuterDisposeScope();
    }

    /// <summary>KL(softmax(t / T) || softmax(s / T)), summed over classes and averaged over the batch.</summary>
    public static Tensor Distillation(Tensor student, Tensor teacher, double temperature)
    {
        using var scope = NewDisposeScope();
        var teacherLog = log_softmax(teacher.Over(temperature), 1);
        var studentLog = log_softmax(student.Over(temperature), 1);
        return (teacherLog.exp() * (teacherLog - studentLog)).sum(1).mean().MoveToOuterDisposeScope();
    }
}
