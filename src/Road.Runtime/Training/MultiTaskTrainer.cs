using System.Diagnostics;
using Road.Distributed;
using Road.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// Multi-task pretraining: <see cref="MultiTaskStep"/> (Algorithm 1) for the configured number of steps, with the flat
/// AdamW, ELECTRA's layer-wise learning rate, warmup then linear decay, and clipping; with several ranks
/// (<paramref name="group"/>) each step's passes are shared out across them.
/// </summary>
public sealed class MultiTaskTrainer(Device device, ITrainingProgress progress, Precision precision = Precision.Float32, IProcessGroup? group = null)
{
    private readonly IProcessGroup _group = group ?? SingleProcess.Instance;

    public TrainingSummary Train(string stage, EncoderModel encoder, IReadOnlyList<ITaskObjective> objectives, Road.Pipeline.MultiTaskSettings settings, int seed,
        Action<int, int>? onStep = null, TrainingCheckpoint? checkpoint = null, int checkpointEvery = 0)
    {
        encoder.to(precision.ComputeType());
        var heads = objectives.Select(o => o.Head).Distinct().ToList();
        foreach (var head in heads) head.to(precision.ComputeType());
        var parameters = encoder.named_parameters().Select(p => (p.name, p.parameter))
            .Concat(heads.SelectMany((h, i) => h.named_parameters().Select(p => ($"head{i}." + p.name, p.parameter)))).ToList();
        int layers = encoder.Config.NumHiddenLayers;
        using var optimizer = new FlatAdamW(parameters, settings.LearningRate, settings.WeightDecay, precision,
            learningRateScale: settings.LayerDecay < 1 ? name => LayerwiseLearningRate.Scale(name, layers, settings.LayerDecay) : null, group: _group);
        var sampler = new TaskSampler(objectives.Select(o => o.FeatureCount).ToList(), settings.Sampling, seed, settings.SamplingTemperature);
        var step = new MultiTaskStep(objectives, sampler, settings.BatchSize, settings.ExamplesPerPass, seed);
        var schedule = new LinearWarmupSchedule(settings.LearningRate, settings.Steps, (int)(settings.Steps * settings.WarmupFraction));
        var loop = new LossWindow(checkpoint?.TryLoad(optimizer));
        for (int s = 0; s < loop.Start; s++) step.Skip();
        _group.SeedDropout(seed, loop.Start);
        var clock = Stopwatch.StartNew();
        encoder.train();
        foreach (var head in heads) head.train();
        for (int s = loop.Start; s < settings.Steps; s++)
        {
            onStep?.Invoke(s, settings.Steps);
            optimizer.LearningRate = schedule.At(s);
            optimizer.ZeroGrad();
            double loss;
            try
            {
                loss = step.Accumulate(encoder, device, _group);
            }
            catch (RoadException e)
            {
                throw new RoadException($"stage {stage}, step {s + 1}: {e.Message} The last good checkpoint is kept. Lower the learning rate.");
            }
            using (NewDisposeScope()) loop.Add(new StepRecord(loss, optimizer.LearningRate, optimizer.Step(settings.MaxGradNorm).item<float>()));
            bool stop = StopSignal.Agreed(_group);
            if (checkpoint is not null && (stop || checkpointEvery > 0 && (s + 1) % checkpointEvery == 0)) checkpoint.Save(optimizer, loop.Position(s + 1));
            progress.Report(new TrainingTick(stage, s + 1, settings.Steps, loop.Smoothed, (s + 1.0 - loop.Start) * settings.BatchSize / clock.Elapsed.TotalSeconds, loop.Last));
            if (stop) throw StopSignal.Stopped(_group, stage, s + 1, settings.Steps, checkpoint is not null);
        }
        encoder.eval();
        foreach (var head in heads) head.eval();
        return loop.Summary(stage, settings.Steps);
    }
}
