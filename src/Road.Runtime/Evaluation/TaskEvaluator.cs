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
                for (int i = 0; i < batch.Length; i++)
                    windows.Add(new WindowLogits(start[i].data<float>().ToArray(), end[i].data<float>().ToArray(), noAnswer[i]));
            }
        }
        var predictions = new MrcPostProcessor().Predict(examples, features, windows);
        var gold = examples.Select(e => (e.Id, (IReadOnlyList<string>)e.Answers.Select(a => a.Text).ToList())).ToList();
        var metrics = SquadV2Metric.Evaluate(gold, predictions.ToDictionary(p => p.Id, p => p.Text),
            predictions.Select(p => KeyValuePair.Create(p.Id, p.NoAnswerProbability)).ToList());
        return (metrics, predictions);
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
        var predicted = new List<int>(features.Count);
        encoder.eval();
        head.eval();
        using (no_grad())
        {
            foreach (var batch in Batches(features.Count))
            {
                using var scope = NewDisposeScope();
                var logits = PairObjective.Forward(encoder, head, features, batch, device);
                predicted.AddRange(logits.argmax(1).cpu().data<long>().ToArray().Select(x => (int)x));
            }
        }
        return AccuracyResult.Of(features.Select(f => f.Label).ToList(), predicted);
    }

    private IEnumerable<int[]> Batches(int count)
    {
        for (int from = 0; from < count; from += batchSize)
            yield return Enumerable.Range(from, Math.Min(batchSize, count - from)).ToArray();
    }
}
