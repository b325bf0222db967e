using Road.Training;
using static TorchSharp.torch;

namespace Road.Distillation;

/// <summary>
/// Weighted KD (the paper's Algorithm 2). For N teachers' logits of one output distribution and the gold index, a
/// teacher is correct when its argmax is the gold index. With k incorrect and c = N - k correct teachers: when k = 0 or
/// c = 0 every weight is 1; otherwise incorrect teachers weigh W and correct ones (N - kW) / c, so the weights sum to
/// N. The soft target is (1/N) sum_i w_i z_i. The plain teacher ensemble is W = 1. A teacher that read the text in
/// another tokenization says itself whether it was right (its own argmax against its own gold, see
/// <see cref="SpanTargetMapping"/>): <c>correct</c> carries that, per teacher, where it is known.
/// </summary>
public sealed record WeightedKd(double W = 0.5)
{
    /// <summary>Per example and teacher weights, [batch, N].</summary>
    /// <param name="correct">per teacher, null or [batch] of 1 (right) and 0 (wrong), used instead of its argmax</param>
    public Tensor Weights(IReadOnlyList<Tensor> teacherLogits, Tensor gold, IReadOnlyList<Tensor?>? correct = null)
    {
        if (teacherLogits.Count == 0) throw new RoadException("weighted KD needs at least one teacher.");
        if (W is <= 0 or > 1) throw new RoadException($"weighted KD's W must be in (0, 1], not {W}.");
        using var scope = NewDisposeScope();
        int n = teacherLogits.Count;
        var right = stack(teacherLogits.Select((z, i) => correct?[i] is { } known ? known.to(ScalarType.Bool) : z.argmax(1).eq(gold)).ToList(), 1)
            .to(ScalarType.Float32); // [batch, N]
        var c = right.sum(1, keepdim: true);
        var k = ((double)n).Minus(c);
        var mixed = k.AtLeastMask(1).logical_and(c.AtLeastMask(1));
        var correctWeight = ((double)n).Minus(k.Times(W)) / c.AtLeast(1);
        var weights = where(right.to(ScalarType.Bool), correctWeight.expand_as(right), ones_like(right).Times(W));
        return where(mixed.expand_as(right), weights, ones_like(right)).MoveToOuterDisposeScope();
    }

    /// <summary>The weighted average of the teachers' logits, [batch, classes].</summary>
    public Tensor SoftTarget(IReadOnlyList<Tensor> teacherLogits, Tensor gold, IReadOnlyList<Tensor?>? correct = null)
    {
        using var scope = NewDisposeScope();
        var weights = Weights(teacherLogits, gold, correct); // [batch, N]
        var stacked = stack(teacherLogits.Select(z => z.to(ScalarType.Float32)).ToList(), 1); // [batch, N, classes]
        return (weights.unsqueeze(2) * stacked).sum(1).Over(teacherLogits.Count).MoveToOuterDisposeScope();
    }
}
