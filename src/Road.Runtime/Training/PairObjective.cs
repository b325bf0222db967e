using Road.Data;
using Road.Encoders;
using Road.Distillation;
using Road.Heads;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Road.Training;

/// <summary>Cross-entropy (label smoothing optional) of a classification head over sentence pairs.</summary>
public sealed class PairObjective(string taskName, ClassificationHead head, IReadOnlyList<PairFeature> features, double labelSmoothing = 0,
    Distiller? distiller = null, IReadOnlyList<SoftTargets>? teachers = null) : ITaskObjective
{
    public string TaskName { get; } = taskName;
    public int FeatureCount => features.Count;
    public int Length(int feature) => features[feature].Ids.Length;
    public TorchSharp.torch.nn.Module Head => head;

    public Tensor Loss(EncoderModel encoder, IReadOnlyList<int> batch, Device device)
    {
        var logits = Forward(encoder, head, features, batch, device).to(ScalarType.Float32);
        var gold = TensorBatch.Column(batch, i => features[i].Label, device);
        return distiller is not null && teachers is { Count: > 0 }
            ? distiller.Loss(logits, gold, teachers.Select(t => t.Rows("logits", batch, device)).ToList())
            : cross_entropy(logits, gold, null, -100, TorchSharp.torch.nn.Reduction.Mean, labelSmoothing);
    }

    public static Tensor Forward(EncoderModel encoder, ClassificationHead head, IReadOnlyList<PairFeature> features, IReadOnlyList<int> batch, Device device) =>
        head.forward(TensorBatch.Encode(encoder, features, batch, device));
}
