using Road.Data;
using Road.Encoders;
using Road.Heads;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Distillation;

/// <summary>Runs a trained teacher over training features and keeps its logits as <see cref="SoftTargets"/>.</summary>
public static class TeacherOutputs
{
    private const int BatchSize = 64;

    /// <param name="maxLength">the task's window length: batches are only as wide as their longest window, so span
    /// logits are stored padded to it with the padding logit, and students read the width of their own batch</param>
    public static SoftTargets Mrc(EncoderModel encoder, MrcHead head, IReadOnlyList<MrcFeature> features, int maxLength, Device device)
    {
        var (start, end, answerable) = (new List<Tensor>(), new List<Tensor>(), new List<Tensor>());
        Tensor Padded(Tensor logits) =>
            nn.functional.pad(logits.to(ScalarType.Float32), [0, maxLength - logits.shape[1]], value: MrcObjective.PaddingLogit).cpu().MoveToOuterDisposeScope();
        Run(encoder, head, features.Count, batch =>
        {
            var logits = MrcObjective.Forward(encoder, head, features, batch, device);
            start.Add(Padded(logits.Start));
            end.Add(Padded(logits.End));
            // Stored as the logit of "answerable", the second class of Distiller.Binary.
            answerable.Add((-logits.NoAnswer).to(ScalarType.Float32).cpu().MoveToOuterDisposeScope());
        });
        return new SoftTargets(new Dictionary<string, Tensor> { ["start"] = cat(start, 0), ["end"] = cat(end, 0), ["answerable"] = cat(answerable, 0) });
    }

    public static SoftTargets Pair(EncoderModel encoder, ClassificationHead head, IReadOnlyList<PairFeature> features, Device device)
    {
        var logits = new List<Tensor>();
        Run(encoder, head, features.Count, batch => logits.Add(PairObjective.Forward(encoder, head, features, batch, device).to(ScalarType.Float32).cpu().MoveToOuterDisposeScope()));
        return new SoftTargets(new Dictionary<string, Tensor> { ["logits"] = cat(logits, 0) });
    }

    private static void Run(EncoderModel encoder, nn.Module head, int count, Action<int[]> batch)
    {
        encoder.eval();
        head.eval();
        using var noGrad = no_grad();
        for (int from = 0; from < count; from += BatchSize)
        {
            using var scope = NewDisposeScope();
            batch(Enumerable.Range(from, Math.Min(BatchSize, count - from)).ToArray());
        }
    }
}
