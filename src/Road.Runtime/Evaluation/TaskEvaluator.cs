using Road.Data;
using Road.Distributed;
using Road.Encoders;
using Road.Heads;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Evaluation;

/// <summary>Runs a trained encoder and head over a dev set and scores it with the task's official metric. With
/// several ranks (<paramref name="group"/>), each computes every size-th batch and one all-reduce of the logits (each
/// rank's, zeros elsewhere: the sum is exact) gives every rank all of them, so evaluation is shared, not repeated.</summary>
public sealed class TaskEvaluator(Device device, int batchSize = 64, IProcessGroup? group = null)
{
    private readonly IProcessGroup _group = group ?? SingleProcess.Instance;

    public (SquadV2Result Metrics, List<MrcPrediction> Predictions) Mrc(
        EncoderModel encoder, MrcHead head, IReadOnlyList<MrcExample> examples, IReadOnlyList<MrcFeature> features)
    {
        var predictions = new MrcPostProcessor().Predict(examples, features, Windows(encoder, head, features));
        var gold = examples.Select(e => (e.Id, (IReadOnlyList<string>)e.Answers.Select(a => a.Text).ToList())).ToList();
        var metrics = SquadV2Metric.Evaluate(gold, predictions.ToDictionary(p => p.Id, p => p.Text),
            predictions.Select(p => KeyValuePair.Create(p.Id, p.NoAnswerProbability)).ToList());
        return (metrics, predictions);
    }

    /// <summary>Every window's span and answerability logits, and QuAC's dialog logits where the head has them;
    /// <paramref name="done"/> hears how many windows are through after each batch.</summary>
    public List<WindowLogits> Windows(EncoderModel encoder, MrcHead head, IReadOnlyList<MrcFeature> features, Action<int>? done = null)
    {
        var batches = Batches(features.Count).ToList();
        var windows = new WindowLogits?[features.Count];
        int computed = 0;
        encoder.eval();
        head.eval();
        using (no_grad())
        {
            foreach (var batch in Mine(batches))
            {
                using var scope = NewDisposeScope();
                var logits = MrcObjective.Forward(encoder, head, features, batch, device);
                var start = logits.Start.cpu().to(ScalarType.Float32);
                var end = logits.End.cpu().to(ScalarType.Float32);
                var noAnswer = logits.NoAnswer.cpu().to(ScalarType.Float32).data<float>().ToArray();
                var followup = logits.Followup?.cpu().to(ScalarType.Float32);
                var yesNo = logits.YesNo?.cpu().to(ScalarType.Float32);
                for (int i = 0; i < batch.Length; i++)
                    windows[batch[i]] = new WindowLogits(start[i].data<float>().ToArray(), end[i].data<float>().ToArray(), noAnswer[i],
                        followup?[i].data<float>().ToArray(), yesNo?[i].data<float>().ToArray());
                done?.Invoke(computed += batch.Length);
            }
        }
        if (_group.Size > 1) Share(windows, batches, features, head.HasFollowup, head.HasYesNo);
        return windows.Select(w => w!).ToList();
    }

    // Every rank's windows on every rank: each window's start and end logits (its batch's width), answerability and
    // dialog logits at fixed places of one buffer, summed across ranks.
    private void Share(WindowLogits?[] windows, IReadOnlyList<int[]> batches, IReadOnlyList<MrcFeature> features, bool followup, bool yesNo)
    {
        int dialog = (followup ? 3 : 0) + (yesNo ? 3 : 0);
        var width = new int[windows.Length];
        foreach (var batch in batches)
        {
            int w = Training.TensorBatch.Width(features, batch);
            foreach (int i in batch) width[i] = w;
        }
        var offset = new long[windows.Length + 1];
        for (int i = 0; i < windows.Length; i++) offset[i + 1] = offset[i] + 2L * width[i] + 1 + dialog;
        var buffer = new float[offset[^1]];
        for (int i = 0; i < windows.Length; i++)
        {
            if (windows[i] is not { } window) continue;
            int at = (int)offset[i];
            foreach (var part in new[] { window.Start, window.End, [window.NoAnswer], window.Followup ?? [], window.YesNo ?? [] })
            {
                part.CopyTo(buffer, at);
                at += part.Length;
            }
        }
        var summed = AllReduced(buffer);
        for (int i = 0; i < windows.Length; i++)
        {
            int at = (int)offset[i], w = width[i];
            float[] Take(int count)
            {
                var part = summed.AsSpan(at, count).ToArray();
                at += count;
                return part;
            }
            windows[i] = new WindowLogits(Take(w), Take(w), Take(1)[0], followup ? Take(3) : null, yesNo ? Take(3) : null);
        }
    }

    private float[] AllReduced(float[] values)
    {
        using var scope = NewDisposeScope();
        var buffer = tensor(values).to(_group.Device);
        _group.AllReduceSum(buffer);
        return buffer.cpu().data<float>().ToArray();
    }

    /// <summary>QuAC's follow-up and yes/no accuracy, per question (its first window's [CLS]); empty without those heads.</summary>
    public Dictionary<string, double> Dialog(EncoderModel encoder, MrcHead head, IReadOnlyList<MrcFeature> features)
    {
        var firsts = features.Select((f, i) => (f, i)).GroupBy(x => x.f.ExampleIndex).Select(g => g.First().i).ToArray();
        var results = new Dictionary<string, double>();
        var (followup, yesNo) = (new List<int>(), new List<int>());
        encoder.eval();
        head.eval();
        using (no_grad())
        {
            foreach (var batch in firsts.Chunk(batchSize))
            {
                using var scope = NewDisposeScope();
                var logits = MrcObjective.Forward(encoder, head, features, batch, device);
                if (logits.Followup is null && logits.YesNo is null) return results;
                if (logits.Followup is { } f) followup.AddRange(f.argmax(1).cpu().data<long>().ToArray().Select(x => (int)x));
                if (logits.YesNo is { } y) yesNo.AddRange(y.argmax(1).cpu().data<long>().ToArray().Select(x => (int)x));
            }
        }
        if (followup.Count > 0) results["followup_accuracy"] = AccuracyResult.Of(firsts.Select(i => features[i].Followup).ToList(), followup).Accuracy;
        if (yesNo.Count > 0) results["yesno_accuracy"] = AccuracyResult.Of(firsts.Select(i => features[i].YesNo).ToList(), yesNo).Accuracy;
        return results;
    }

    public AccuracyResult Pair(EncoderModel encoder, ClassificationHead head, IReadOnlyList<PairFeature> features)
    {
        var predicted = Logits(encoder, head, features).Select(ArgMax).ToList();
        return AccuracyResult.Of(features.Select(f => f.Label).ToList(), predicted);
    }

    /// <summary>Every example's class logits; <paramref name="done"/> hears how many are through after each batch.</summary>
    public List<float[]> Logits(EncoderModel encoder, ClassificationHead head, IReadOnlyList<PairFeature> features, Action<int>? done = null)
    {
        var rows = new float[features.Count][];
        int computed = 0;
        encoder.eval();
        head.eval();
        using (no_grad())
        {
            foreach (var batch in Mine(Batches(features.Count).ToList()))
            {
                using var scope = NewDisposeScope();
                var logits = PairObjective.Forward(encoder, head, features, batch, device).cpu().to(ScalarType.Float32);
                for (int i = 0; i < batch.Length; i++) rows[batch[i]] = logits[i].data<float>().ToArray();
                done?.Invoke(computed += batch.Length);
            }
        }
        if (_group.Size == 1) return [.. rows];
        var buffer = new float[features.Count * head.Classes];
        for (int i = 0; i < rows.Length; i++) rows[i]?.CopyTo(buffer, i * head.Classes);
        var summed = AllReduced(buffer);
        return Enumerable.Range(0, features.Count).Select(i => summed.AsSpan(i * head.Classes, head.Classes).ToArray()).ToList();
    }

    /// <summary>The index of the largest value, the first where several tie (as torch's argmax).</summary>
    public static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    // This rank's batches: every size-th.
    private IEnumerable<int[]> Mine(IReadOnlyList<int[]> batches) => batches.Where((_, b) => b % _group.Size == _group.Rank);

    private IEnumerable<int[]> Batches(int count) => Batches(count, batchSize);

    /// <summary>Consecutive batches of at most <paramref name="size"/> of the indices 0..count-1, as evaluation and
    /// the ONNX backend both read features.</summary>
    public static IEnumerable<int[]> Batches(int count, int size)
    {
        for (int from = 0; from < count; from += size)
            yield return Enumerable.Range(from, Math.Min(size, count - from)).ToArray();
    }
}
