using Road.Data;
using Road.Encoders;
using Road.Heads;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Evaluation;

/// <summary>Runs a trained encoder and head over a dev set and scores it with the task's official metric.</summary>
public sealed class TaskEvaluator(Device device, int batchSize = 64)
{
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
        var windows = new List<WindowLogits>(features.Count);
        encoder.eval();
        head.eval();
        using (no_grad())
        {
            foreach (var batch in Batches(features.Count))
            {
                using var scope = NewDisposeScope();
                var logits = MrcObjective.Forward(encoder, head, features, batch, device);
                var start = logits.Start.cpu().to(ScalarType.Float32);
                var end = logits.End.cpu().to(ScalarType.Float32);
                var noAnswer = logits.NoAnswer.cpu().to(ScalarType.Float32).data<float>().ToArray();
                var followup = logits.Followup?.cpu().to(ScalarType.Float32);
                var yesNo = logits.YesNo?.cpu().to(ScalarType.Float32);
                for (int i = 0; i < batch.Length; i++)
                    windows.Add(new WindowLogits(start[i].data<float>().ToArray(), end[i].data<float>().ToArray(), noAnswer[i],
                        followup?[i].data<float>().ToArray(), yesNo?[i].data<float>().ToArray()));
                done?.Invoke(windows.Count);
            }
        }
        return windows;
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
        var rows = new List<float[]>(features.Count);
        encoder.eval();
        head.eval();
        using (no_grad())
        {
            foreach (var batch in Batches(features.Count))
            {
                using var scope = NewDisposeScope();
                var logits = PairObjective.Forward(encoder, head, features, batch, device).cpu().to(ScalarType.Float32);
                for (int i = 0; i < batch.Length; i++) rows.Add(logits[i].data<float>().ToArray());
                done?.Invoke(rows.Count);
            }
        }
        return rows;
    }

    /// <summary>The index of the largest value, the first where several tie (as torch's argmax).</summary>
    public static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private IEnumerable<int[]> Batches(int count)
    {
        for (int from = 0; from < count; from += batchSize)
            yield return Enumerable.Range(from, Math.Min(batchSize, count - from)).ToArray();
    }
}
