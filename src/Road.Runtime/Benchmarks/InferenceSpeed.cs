using System.Diagnostics;
using Road.Encoders;
using Road.Evaluation;
using Road.Heads;
using Road.Stages;
using static TorchSharp.torch;

namespace Road.Benchmarks;

/// <summary>
/// How the inference benchmark times a model: one warmup batch of the inference API's size, then every input, on
/// the inference API's forward path; features per second. <see cref="InferenceBenchmark"/> times both backends with
/// it, and every finetuning and teacher stage of a run with teachers times its model with it on the run's device, over
/// up to <see cref="StageInputs"/> dev inputs, for the report's table of students and teachers.
/// </summary>
public static class InferenceSpeed
{
    public const int Batch = 64;
    public const int StageInputs = 256;

    public static (double PerSecond, TResult Result) Measure<TInput, TResult>(IReadOnlyList<TInput> inputs, Func<IReadOnlyList<TInput>, TResult> forward)
    {
        forward(inputs.Take(Math.Min(Batch, inputs.Count)).ToList());
        var watch = Stopwatch.StartNew();
        var result = forward(inputs);
        return (inputs.Count / watch.Elapsed.TotalSeconds, result);
    }

    /// <summary>Features per second of a stage's model over the first dev inputs of its task; 0 when the task has no dev set.</summary>
    public static double OfStage(Device device, BoundTask task, FeatureStore features, EncoderModel encoder, nn.Module head)
    {
        if (!task.Spec.Scored) return 0;
        var evaluator = new TaskEvaluator(device);
        return task.Mrc is not null
            ? Measure(features.Mrc(task, "dev").Take(StageInputs).ToList(), inputs => evaluator.Windows(encoder, (MrcHead)head, inputs)).PerSecond
            : Measure(features.Classes(task, "dev").Take(StageInputs).ToList(), inputs => evaluator.Logits(encoder, (ClassificationHead)head, inputs)).PerSecond;
    }
}
