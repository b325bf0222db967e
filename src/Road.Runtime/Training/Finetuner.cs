using System.Diagnostics;
using Road.Distributed;
using Road.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>What a finished training stage reports: the smoothed loss at the start and at the end, and every step's
/// record (empty when the stage was read back from its result file).</summary>
public sealed record TrainingSummary(string Stage, int Steps, double FirstLoss, double LastLoss)
{
    public IReadOnlyList<StepRecord> History { get; init; } = [];
}

/// <summary>
/// Trains an encoder and one task head: shuffled minibatches each epoch, AdamW (no weight decay on biases and
/// LayerNorm) over a flat buffer, warmup then linear decay, gradient clipping, float32 or bf16 compute with float32
/// master weights. Shuffling uses its own seeded generator, so a run is a function of its seed. With several ranks
/// (<paramref name="group"/>), each draws the same batches, takes its contiguous share of each, and the gradients
/// and losses are summed across ranks: each example weighs by 1 / batch size wherever it ran, so the update is the
/// one a single process makes on the whole batch.
/// </summary>
public sealed class Finetuner(Device device, ITrainingProgress progress, Precision precision = Precision.Float32, IProcessGroup? group = null)
{
    private readonly IProcessGroup _group = group ?? SingleProcess.Instance;

    /// <param name="onStep">called before each step with (step, total steps): drives teacher annealing</param>
    /// <param name="checkpoint">where to keep a checkpoint every <paramref name="checkpointEvery"/> steps and when a <see cref="StopSignal"/> stops the loop, and resume from one</param>
    public TrainingSummary Train(string stage, EncoderModel encoder, ITaskObjective objective, FinetuneSettings settings, int seed,
        Action<int, int>? onStep = null, TrainingCheckpoint? checkpoint = null, int checkpointEvery = 0)
    {
        encoder.to(precision.ComputeType());
        objective.Head.to(precision.ComputeType());
        var parameters = encoder.named_parameters().Select(p => (p.name, p.parameter))
            .Concat(objective.Head.named_parameters().Select(p => ("head." + p.name, p.parameter))).ToList();
        int layers = encoder.Config.NumHiddenLayers;
        using var optimizer = new FlatAdamW(parameters, settings.LearningRate, settings.WeightDecay, precision, eps: settings.AdamEpsilon,
            learningRateScale: settings.LayerDecay < 1 ? name => LayerwiseLearningRate.Scale(name, layers, settings.LayerDecay) : null, group: _group);
        int stepsPerEpoch = (objective.FeatureCount + settings.BatchSize - 1) / settings.BatchSize;
        int totalSteps = stepsPerEpoch * settings.Epochs;
        var schedule = new LinearWarmupSchedule(settings.LearningRate, totalSteps, (int)(totalSteps * settings.WarmupFraction));
        var random = new Random(seed);
        var resumed = checkpoint?.TryLoad(optimizer);
        var loop = new LossWindow(resumed);
        _group.SeedDropout(seed, loop.Start);
        var clock = Stopwatch.StartNew();
        int step = 0;
        encoder.train();
        objective.Head.train();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            // Drawn every epoch, also the epochs a resumed run skips, so the generator replays the same orders.
            var batches = EpochBatches.Draw(random, objective.FeatureCount, settings.BatchSize, settings.GroupByLength ? objective.Length : null);
            foreach (var batch in batches)
            {
                if (step < loop.Start)
                {
                    step++;
                    continue;
                }
                using (NewDisposeScope())
                {
                    onStep?.Invoke(step, totalSteps);
                    optimizer.LearningRate = schedule.At(step);
                    optimizer.ZeroGrad();
                    double loss = 0;
                    int microSize = (batch.Length + settings.GradientAccumulation - 1) / Math.Max(1, settings.GradientAccumulation);
                    foreach (var micro in _group.Share(batch).Chunk(microSize))
                    {
                        // Each micro-batch's mean loss weighs by its share of the batch: the sum is the batch's mean.
                        var value = objective.Loss(encoder, micro, device).Times((double)micro.Length / batch.Length);
                        value.backward();
                        loss += value.item<float>();
                    }
                    loss = _group.Sum(loss)[0];
                    // Checked before the update, so the weights and the last checkpoint stay good.
                    if (!double.IsFinite(loss))
                        throw new RoadException($"stage {stage}, dataset {objective.TaskName}: the loss became {loss} at step {step + 1}; the last good checkpoint is kept. Lower the learning rate.");
                    double norm = optimizer.Step(settings.MaxGradNorm).item<float>();
                    loop.Add(new StepRecord(loss, optimizer.LearningRate, norm));
                }
                bool stop = StopSignal.Agreed(_group);
                if (checkpoint is not null && (stop || checkpointEvery > 0 && (step + 1) % checkpointEvery == 0)) checkpoint.Save(optimizer, loop.Position(step + 1));
                progress.Report(new TrainingTick(stage, step + 1, totalSteps, loop.Smoothed, (step + 1 - loop.Start) * (double)settings.BatchSize / clock.Elapsed.TotalSeconds, loop.Last));
                if (stop) throw StopSignal.Stopped(_group, stage, step + 1, totalSteps, checkpoint is not null);
                step++;
            }
        }
        encoder.eval();
        objective.Head.eval();
        return loop.Summary(stage, totalSteps);
    }
}

/// <summary>The record of a training loop: every step's, and the smoothed loss, the mean of the last steps' losses (of
/// the first steps once there are enough).</summary>
internal sealed class LossWindow(TrainingPosition? resumed)
{
    private const int Size = 20;
    private readonly List<StepRecord> _history = new(resumed?.History ?? []);

    public int Start { get; } = resumed?.Step ?? 0;

    public double Smoothed => _history.TakeLast(Size).Average(r => r.Loss);

    public StepRecord Last => _history[^1];

    public void Add(StepRecord record) => _history.Add(record);

    public TrainingPosition Position(int step) => new(step, _history.ToList());

    public TrainingSummary Summary(string stage, int steps) =>
        new(stage, steps, _history.Count >= Size ? _history.Take(Size).Average(r => r.Loss) : _history[0].Loss, Smoothed) { History = _history.ToList() };
}
