using System.Diagnostics;
using Road.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>What a finished training stage reports: the smoothed loss at the start and at the end.</summary>
public sealed record TrainingSummary(string Stage, int Steps, double FirstLoss, double LastLoss);

/// <summary>
/// Trains an encoder and one task head: shuffled minibatches each epoch, AdamW (no weight decay on biases and
/// LayerNorm), warmup then linear decay, gradient clipping. Shuffling uses its own seeded generator, so a run is a
/// function of its seed.
/// </summary>
public sealed class Finetuner(Device device, ITrainingProgress progress)
{
    private const int LossWindow = 20;

    public TrainingSummary Train(string stage, EncoderModel encoder, ITaskObjective objective, FinetuneSettings settings, int seed)
    {
        var parameters = encoder.named_parameters().Concat(objective.Head.named_parameters()).ToList();
        var optimizer = optim.AdamW(
        [
            new AdamW.ParamGroup(parameters.Where(p => Decays(p.name)).Select(p => p.parameter), new AdamW.Options { weight_decay = settings.WeightDecay }),
            new AdamW.ParamGroup(parameters.Where(p => !Decays(p.name)).Select(p => p.parameter), new AdamW.Options { weight_decay = 0 }),
        ], settings.LearningRate, 0.9, 0.999, settings.AdamEpsilon);
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
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.At(step);
                    optimizer.zero_grad();
                    var value = objective.Loss(encoder, batch, device);
                    value.backward();
                    nn.utils.clip_grad_norm_(parameters.Select(p => p.parameter), settings.MaxGradNorm);
                    optimizer.step();
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

    private static bool Decays(string name) => !name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains("LayerNorm", StringComparison.Ordinal);
}
