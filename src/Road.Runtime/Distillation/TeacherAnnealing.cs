using Road.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Road.Distillation;

/// <summary>
/// Teacher annealing (Clark et al. 2019): the target is <c>p * onehot(gold) + (1 - p) * softmax(teacher)</c>, with p
/// growing linearly from 0 at the first step to 1 at the last; the loss is the student's cross-entropy against it.
/// </summary>
public static class TeacherAnnealing
{
    public static double Progress(int step, int totalSteps) => totalSteps <= 1 ? 1.0 : Math.Clamp((double)step / (totalSteps - 1), 0, 1);

    public static Tensor Loss(Tensor studentLogits, Tensor teacherLogits, Tensor gold, double progress)
    {
        using var scope = NewDisposeScope();
        var student = studentLogits.to(ScalarType.Float32);
        var target = one_hot(gold, student.shape[1]).to(ScalarType.Float32).Times(progress).Add(softmax(teacherLogits.to(ScalarType.Float32), 1).Times(1 - progress));
        return (-(target * log_softmax(student, 1)).sum(1)).mean().MoveToOuterDisposeScope();
    }
}
