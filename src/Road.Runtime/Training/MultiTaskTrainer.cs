using System.Diagnostics;
using Road.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// Multi-task pretraining: <see cref="MultiTaskStep"/> (Algorithm 1) for the configured number of steps, with the flat
/// AdamW, ELECTRA's layer-wise learning rate, warmup then linear decay, and clipping.
/// </summary>
public sealed class MultiTaskTrainer(Device device, ITrainingProgress progress, Precision precision = Precision.Float32)
{
    private const int LossWindow = 20;

    public TrainingSummary Train(string stage, EncoderModel encoder, IReadOnlyList<ITaskObjective> objectives, Road.Pipeline.MultiTaskSettings settings, int seed,
        Action<int, int>? onStep = null)
    {
        encoder.to(precision.ComputeType());
        var heads = objectives.Select(o => o.Head).Distinct().ToList();
        foreach (var head in heads) head.to(precision.ComputeType());
        var parameters = encoder.named_parameters().Select(p => (p.name, p.parameter))
            .Concat(heads.SelectMany((h, i) => h.named_parameters().Select(p => ($"head{i}." + p.name, p.parameter)))).ToList();
        int layers = encoder.Config.NumHiddenLayers;
        using var optimizer = new FlatAdamW(parameters, settings.LearningRate, settings.WeightDecay, precision,
            learningRateScale: settings.LayerDecay < 1 ? name => LayerwiseLearningRate.Scale(name, layers, settings.LayerDecay) : null);
        var sampler = new TaskSampler(objectives.Select(o => o.FeatureCount).ToList(), settings.Sampling, seed, settings.SamplingTemperature);
        var step = new MultiTaskStep(objectives, sampler, settings.BatchSize, settings.ExamplesPerPass, seed);
        var schedule = new LinearWarmupSchedule(settings.LearningRate, settings.Steps, (int)(settings.Steps * settings.WarmupFraction));
        var recent = new Queue<double>();
        double firstLoss = double.NaN;
        var clock = Stopwatch.StartNew();
        encoder.train();
        foreach (var head in heads) head.train();
        for (int s = 0; s < settings.Steps; s++)
        {
            onStep?.Invoke(s, settings.Steps);
            optimizer.LearningRate = schedule.At(s);
            optimizer.ZeroGrad();
            double loss;
            try
            {
                loss = step.Accumulate(encoder, device);
            }
            catch (RoadException e)
            {
                throw new RoadException($"stage {stage}, step {s + 1}: {e.Message} Lower the learning rate.");
            }
            using (NewDisposeScope()) optimizer.Step(settings.MaxGradNorm);
            recent.Enqueue(loss);
            if (recent.Count > LossWindow) recent.Dequeue();
            if (recent.Count == LossWindow && double.IsNaN(firstLoss)) firstLoss = recent.Average();
            progress.Report(new TrainingTick(stage, s + 1, settings.Steps, recent.Average(), (s + 1.0) * settings.BatchSize / clock.Elapsed.TotalSeconds));
        }
        encoder.eval();
        foreach (var head in heads) head.eval();
        return new TrainingSummary(stage, settings.Steps, double.IsNaN(firstLoss) ? recent.First() : firstLoss, recent.Average());
    }
}
