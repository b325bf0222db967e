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
