using System.Globalization;
using Road.Benchmarks;
using Road.Encoders;
using Road.Stages;

namespace Road.Pipeline;

/// <summary>What one stage of a plan will do: optimizer steps, tokens trained and scored, and the estimated time and
/// peak GPU memory.</summary>
public sealed record StageEstimate(string Stage, string Kind, long Steps, long TrainTokens, long EvalTokens, double Seconds, double PeakGigabytes);

/// <summary>
/// Estimates every stage of a plan from the features it trains and scores: time from measured step rates
/// (<see cref="StepRates"/>) per token, scoring at a third of a training token's cost (forward only); peak GPU memory as
/// 18 bytes per parameter (float32 weights, gradients and the two AdamW moments, a bf16 copy) plus 34 bytes per token,
/// layer and hidden unit of the largest micro-batch (bf16 activations kept for the backward pass with fused attention,
/// Korthikanti et al. 2022): 16.3 GB for ELECTRA-large at 32 x 384, where PyTorch measured 16.5 GiB (17.7 GB) with
/// its allocator's caching and the CUDA context on top.
/// </summary>
public static class StageEstimates
{
    private const double BytesPerParameter = 18;
    private const double ActivationBytes = 34;

    /// <param name="cached">stages the stage cache holds: they take no time</param>
    /// <param name="teachers">the teacher encoders, whose teacher stages are estimated with their own size and features</param>
    public static IReadOnlyList<StageEstimate> Of(StagePlan plan, ExperimentSpec spec, DataCatalog data, FeatureStore features, InitialEncoder initial,
        TeacherEncoders teachers, IReadOnlyList<StepRate> rates, IReadOnlySet<string>? cached = null)
    {
        var estimates = new List<StageEstimate>();
        foreach (var stage in plan.Stages.Select(p => p.Spec))
        {
            if (cached?.Contains(stage.Name) == true)
            {
                estimates.Add(new StageEstimate(stage.Name, "Cached", 0, 0, 0, 0, 0));
                continue;
            }
            var (model, read) = stage.Encoder.Length == 0 ? (initial, features) : (teachers.Get(stage.Encoder).Initial, teachers.Get(stage.Encoder).Features);
            var config = model.Config;
            double perToken = StepRates.PerToken(config, rates).Milliseconds;
            long parameters = model.Parameters ?? EstimatedParameters(config);
            (long Count, long Tokens) Split(TaskSpec task, string split) =>
                data.Report(task, split) is null ? (0, 0) : read.Size(data.Bind(task), split);
            double Memory(long microBatch, int length) =>
                (parameters * BytesPerParameter + ActivationBytes * microBatch * length * config.HiddenSize * config.NumHiddenLayers) / 1e9;
            long steps, trainTokens, evalTokens;
            double memory;
            switch (stage.Kind)
            {
                case StageKind.MultiTask:
                {
                    var tasks = (stage.Datasets ?? spec.Tasks.Select(t => t.Name).ToList()).Select(spec.Task).ToList();
                    var sizes = tasks.Select(t => Split(t, "train")).ToList();
                    double meanLength = (double)sizes.Sum(s => s.Tokens) / Math.Max(1, sizes.Sum(s => s.Count));
                    var settings = stage.MultiTask!;
                    steps = settings.Steps;
                    trainTokens = (long)(steps * settings.BatchSize * meanLength);
                    evalTokens = tasks.Sum(t => Split(t, "dev").Tokens);
                    memory = Memory(settings.ExamplesPerPass, tasks.Max(t => t.MaxLength));
                    break;
                }
                case StageKind.Evaluate:
                {
                    var task = spec.Task(stage.Target);
                    (steps, trainTokens, evalTokens) = (0, 0, Split(task, "dev").Tokens);
                    memory = parameters * 4 / 1e9;
                    break;
                }
                default:
                {
                    var task = spec.Task(stage.Target);
                    var (count, tokens) = Split(task, "train");
                    long perEpoch = (count + stage.Settings.BatchSize - 1) / stage.Settings.BatchSize;
                    steps = perEpoch * stage.Settings.Epochs;
                    trainTokens = tokens * stage.Settings.Epochs;
                    evalTokens = Split(task, "dev").Tokens;
                    memory = Memory(stage.Settings.BatchSize / Math.Max(1, stage.Settings.GradientAccumulation), task.MaxLength);
                    break;
                }
            }
            double seconds = (trainTokens + evalTokens / 3.0) * perToken / 1000;
            estimates.Add(new StageEstimate(stage.Name, stage.Kind.ToString(), steps, trainTokens, evalTokens, seconds, memory));
        }
        return estimates;
    }

    /// <summary>The estimate table, with its basis, as Preflight and RunExperiment print it.</summary>
    public static IEnumerable<string> Describe(IReadOnlyList<StageEstimate> estimates, EncoderConfig config, IReadOnlyList<StepRate> rates)
    {
        var basis = StepRates.PerToken(config, rates).Basis;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"Stages (estimates for a GPU from {basis.Model} at {basis.MillisecondsPerStep:0.0} ms per {basis.BatchSize}x{basis.Length} step, {basis.Source}; scaled by layers*(4h^2+2hi))");
        yield return "  stage                          kind       steps   train tokens   dev tokens      time   peak GPU memory";
        foreach (var e in estimates)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {e.Stage,-30} {e.Kind,-9} {e.Steps,7} {e.TrainTokens,14:N0} {e.EvalTokens,12:N0} {Duration(e.Seconds),9} {e.PeakGigabytes,10:0.0} GB");
        yield return string.Create(CultureInfo.InvariantCulture, $"  total {Duration(estimates.Sum(e => e.Seconds))}, at most {estimates.Max(e => e.PeakGigabytes):0.0} GB");
    }

    private static string Duration(double seconds) =>
        seconds >= 3600 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.0} h")
        : seconds >= 60 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s");

    // A fresh encoder's parameters: embeddings, then per layer attention (4h^2 + 4h), feed-forward (2hi + h + i) and
    // two LayerNorms (4h).
    private static long EstimatedParameters(EncoderConfig c) =>
        (long)(c.VocabSize + c.MaxPositionEmbeddings + c.TypeVocabSize) * c.EmbeddingSize
        + c.NumHiddenLayers * (4L * c.HiddenSize * c.HiddenSize + 2L * c.HiddenSize * c.IntermediateSize + 9L * c.HiddenSize + c.IntermediateSize);
}
