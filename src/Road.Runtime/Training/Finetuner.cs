using System.Diagnostics;
using Road.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>What a finished training stage reports: the smoothed loss at the start and at the end.</summary>
public sealed record TrainingSummary(string Stage, int Steps, double FirstLoss, double LastLoss);

/// <summary>
/// Trains an encoder and one task head: shuffled minibatches each epoch, AdamW (no weight decay on biases and
/// LayerNorm) over a flat buffer, warmup then linear decay, gradient clipping, float32 or bf16 compute with float32
/// master weights. Shuffling uses its own seeded generator, so a run is a function of its seed.
/// </summary>
public sealed class Finetuner(Device device, ITrainingProgress progress, Precision precision = Precision.Float32)
{
    private const int LossWindow = 20;

    /// <param name="onStep">called before each step with (step, total steps): drives teacher annealing</param>
    public TrainingSummary Train(string stage, EncoderModel encoder, ITaskObjective objective, FinetuneSettings settings, int seed, Action<int, int>? onStep = null)
    {
        encoder.to(precision.ComputeType());
        objective.Head.to(precision.ComputeType());
        var parameters = encoder.named_parameters().Select(p => (p.name, p.parameter))
            .Concat(objective.Head.named_parameters().Select(p => ("head." + p.name, p.parameter))).ToList();
        int layers = encoder.Config.NumHiddenLayers;
        using var optimizer = new FlatAdamW(parameters, settings.LearningRate, settings.WeightDecay, precision, eps: settings.AdamEpsilon,
            learningRateScale: settings.LayerDecay < 1 ? name => LayerwiseLearningRate.Scale(name, layers, settings.LayerDecay) : null);
        int stepsPerEpoch = (objective.FeatureCount + settings.BatchSize - 1) / settings.BatchSize;
        int totalSteps = stepsPerEpoch * settings.Epochs;
        var schedule = new LinearWarmupSchedule(settings.LearningRate, totalSteps, (int)(totalSteps * settings.WarmupFraction));
        var random = new Random(seed);
        var recent = new Queue<double>();
        double firstLoss = double.NaN;
        var clock = Stopwatch.StartNew();
        int step = 0;
        encoder.train();
        objective.Head.train();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            var order = Enumerable.Range(0, objective.FeatureCount).ToArray();
            random.Shuffle(order);
            for (int from = 0; from < order.Length; from += settings.BatchSize, step++)
            {
                var batch = order[from..Math.Min(order.Length, from + settings.BatchSize)];
                double loss;
                using (NewDisposeScope())
                {
                    onStep?.Invoke(step, totalSteps);
                    optimizer.LearningRate = schedule.At(step);
                    optimizer.ZeroGrad();
                    var value = objective.Loss(encoder, batch, device);
                    value.backward();
                    optimizer.Step(settings.MaxGradNorm);
                    loss = value.item<float>();
                }
                if (!double.IsFinite(loss))
                    throw new RoadException($"stage {stage}, task {objective.TaskName}: the loss became {loss} at step {step + 1}; lower the learning rate.");
                recent.Enqueue(loss);
                if (recent.Count > LossWindow) recent.Dequeue();
                if (recent.Count == LossWindow && double.IsNaN(firstLoss)) firstLoss = recent.Average();
                progress.Report(new TrainingTick(stage, step + 1, totalSteps, recent.Average(), (from + batch.Length + (double)epoch * order.Length) / clock.Elapsed.TotalSeconds));
            }
        }
        encoder.eval();
        objective.Head.eval();
        return new TrainingSummary(stage, totalSteps, double.IsNaN(firstLoss) ? recent.First() : firstLoss, recent.Average());
    }
}
