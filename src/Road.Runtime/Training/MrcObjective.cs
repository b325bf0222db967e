using Road.Data;
using Road.Encoders;
using Road.Distillation;
using Road.Heads;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Road.Training;

/// <summary>
/// SQuAD 2.0 training loss: the mean of start and end cross-entropies (unanswerable windows point at [CLS]; label
/// smoothing optional) plus the binary cross-entropy of the answerability logit.
/// </summary>
public sealed class MrcObjective(string taskName, MrcHead head, IReadOnlyList<MrcFeature> features, double labelSmoothing = 0,
    Distiller? distiller = null, IReadOnlyList<SoftTargets>? teachers = null) : ITaskObjective
{
    public string TaskName { get; } = taskName;
    public int FeatureCount => features.Count;
    public int Length(int feature) => features[feature].Ids.Length;
    public TorchSharp.torch.nn.Module Head => head;

    public Tensor Loss(EncoderModel encoder, IReadOnlyList<int> batch, Device device)
    {
        var logits = Forward(encoder, head, features, batch, device);
        var start = TensorBatch.Column(batch, i => features[i].StartPosition, device);
        var end = TensorBatch.Column(batch, i => features[i].EndPosition, device);
        var noAnswer = TensorBatch.Column(batch, i => features[i].StartPosition == 0 ? 1 : 0, device).to(ScalarType.Float32);
        if (distiller is not null && teachers is { Count: > 0 })
        {
            // Every output distribution distils: start, end, and answerability as a two-class distribution.
            // Span logits are stored at the task's full width; this batch is as wide as its longest window. Teachers
            // mapped from another tokenization say themselves whether they were right (SpanTargetMapping).
            Tensor Distil(Tensor student, Tensor gold, string output, Func<Tensor, Tensor>? shape = null) =>
                distiller.Loss(shape is null ? student : shape(student), gold, teachers.Select(t => shape is null
                    ? t.Rows(output, batch, device).narrow(1, 0, student.shape[1])
                    : shape(t.Rows(output, batch, device))).ToList(),
                    teachers.Select(t => t.Outputs.ContainsKey(SpanTargetMapping.Correctness(output)) ? t.Rows(SpanTargetMapping.Correctness(output), batch, device) : null).ToList());
            var answerable = 1.0.Minus(noAnswer).to(ScalarType.Int64);
            return Distil(logits.Start, start, "start").Add(Distil(logits.End, end, "end")).Over(2)
                .Add(Distil(-logits.NoAnswer.to(ScalarType.Float32), answerable, "answerable", Distiller.Binary))
                .Add(DialogLosses(logits, batch, device));
        }
        // Losses in float32 whatever the compute precision.
        var span = CrossEntropy(logits.Start, start).Add(CrossEntropy(logits.End, end)).Over(2);
        return span.Add(binary_cross_entropy_with_logits(logits.NoAnswer.to(ScalarType.Float32), noAnswer)).Add(DialogLosses(logits, batch, device));
    }

    // QuAC's follow-up and yes/no heads learn from the gold labels, with or without distillation (teachers keep no
    // dialog outputs).
    private Tensor DialogLosses(MrcLogits logits, IReadOnlyList<int> batch, Device device) =>
        DialogLoss(logits.Followup, TensorBatch.Column(batch, i => features[i].Followup, device))
            .Add(DialogLoss(logits.YesNo, TensorBatch.Column(batch, i => features[i].YesNo, device)));

    // QuAC's follow-up and yes/no heads: cross-entropy over the questions that carry the label (-1 elsewhere), without
    // reading a count back from the device.
    private static Tensor DialogLoss(Tensor? logits, Tensor labels)
    {
        if (logits is null) return zeros(1, device: labels.device).squeeze();
        var sum = cross_entropy(logits.to(ScalarType.Float32), labels, null, -1, TorchSharp.torch.nn.Reduction.Sum);
        return sum / labels.AtLeastMask(0).sum().AtLeast(1);
    }

    private Tensor CrossEntropy(Tensor logits, Tensor target) =>
        cross_entropy(logits.to(ScalarType.Float32), target, null, -100, TorchSharp.torch.nn.Reduction.Mean, labelSmoothing);

    /// <summary>Runs encoder and head on a batch of windows; padding positions get a very low span score.</summary>
    public static MrcLogits Forward(EncoderModel encoder, MrcHead head, IReadOnlyList<MrcFeature> features, IReadOnlyList<int> batch, Device device)
    {
        var logits = head.forward(TensorBatch.Encode(encoder, features, batch, device, out var mask));
        var padding = mask.EqualTo(0);
        return logits with { Start = logits.Start.FillWhere(padding, PaddingLogit), End = logits.End.FillWhere(padding, PaddingLogit) };
    }

    /// <summary>The span logit of padding positions: low enough that softmax gives them nothing.</summary>
    public const double PaddingLogit = -1e4;
}
