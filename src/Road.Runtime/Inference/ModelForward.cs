using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Road.Data;
using Road.Encoders;
using Road.Evaluation;
using Road.Heads;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Inference;

/// <summary>How a loaded model's forward passes run: the logits of every MRC window or classification input, batch
/// by batch, with <c>done</c> told how many are through.</summary>
internal interface IModelForward : IDisposable
{
    string Description { get; }

    List<WindowLogits> Windows(IReadOnlyList<MrcFeature> features, Action<int>? done);

    List<float[]> Logits(IReadOnlyList<PairFeature> features, Action<int>? done);
}

/// <summary>Road's TorchSharp modules, through the evaluator evaluation uses; one forward at a time.</summary>
internal sealed class TorchForward(EncoderModel encoder, nn.Module head, Device device, Precision precision) : IModelForward
{
    private readonly Lock _turn = new();

    public EncoderModel Encoder { get; } = encoder;
    public nn.Module Head { get; } = head;

    public string Description => $"TorchSharp ({device.type.ToString().ToLowerInvariant()}, {(precision == Precision.BFloat16 ? "bf16" : "fp32")})";

    public List<WindowLogits> Windows(IReadOnlyList<MrcFeature> features, Action<int>? done)
    {
        lock (_turn) return new TaskEvaluator(device).Windows(Encoder, (MrcHead)Head, features, done);
    }

    public List<float[]> Logits(IReadOnlyList<PairFeature> features, Action<int>? done)
    {
        lock (_turn) return new TaskEvaluator(device).Logits(Encoder, (ClassificationHead)Head, features, done);
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Head.Dispose();
    }
}

/// <summary>ONNX Runtime on the CPU over a graph <see cref="OnnxExport"/> wrote: the same batches and padding as
/// TorchSharp's evaluator; sessions run concurrent callers themselves.</summary>
internal sealed class OnnxForward(InferenceSession session, long padId, int batchSize = 64) : IModelForward
{
    public string Description => "ONNX Runtime (cpu, fp32)";

    public List<WindowLogits> Windows(IReadOnlyList<MrcFeature> features, Action<int>? done)
    {
        var windows = new List<WindowLogits>(features.Count);
        bool followup = session.OutputMetadata.ContainsKey("followup_logits"), yesNo = session.OutputMetadata.ContainsKey("yes_no_logits");
        foreach (var batch in TaskEvaluator.Batches(features.Count, batchSize))
        {
            var (outputs, width) = Run(features, batch);
            using (outputs)
            {
                var start = Output(outputs, "start_logits");
                var end = Output(outputs, "end_logits");
                var noAnswer = Output(outputs, "no_answer_logit");
                Memory<float>? follow = followup ? Output(outputs, "followup_logits") : (Memory<float>?)null;
                Memory<float>? yes = yesNo ? Output(outputs, "yes_no_logits") : (Memory<float>?)null;
                for (int b = 0; b < batch.Length; b++)
                    windows.Add(new WindowLogits(start.Slice(b * width, width).ToArray(), end.Slice(b * width, width).ToArray(), noAnswer.Span[b],
                        follow?.Slice(b * 3, 3).ToArray(), yes?.Slice(b * 3, 3).ToArray()));
            }
            done?.Invoke(windows.Count);
        }
        return windows;
    }

    public List<float[]> Logits(IReadOnlyList<PairFeature> features, Action<int>? done)
    {
        var rows = new List<float[]>(features.Count);
        int labels = (int)session.OutputMetadata["logits"].Dimensions[1];
        foreach (var batch in TaskEvaluator.Batches(features.Count, batchSize))
        {
            var (outputs, _) = Run(features, batch);
            using (outputs)
            {
                var logits = Output(outputs, "logits");
                for (int b = 0; b < batch.Length; b++) rows.Add(logits.Slice(b * labels, labels).ToArray());
            }
            done?.Invoke(rows.Count);
        }
        return rows;
    }

    private (IDisposableReadOnlyCollection<DisposableNamedOnnxValue> Outputs, int Width) Run<T>(IReadOnlyList<T> features, int[] batch) where T : IEncoderInput
    {
        var (ids, mask, types, width) = TensorBatch.InputArrays(features, batch, padId);
        int[] shape = [batch.Length, width];
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
        };
        return (session.Run(inputs), width);
    }

    private static Memory<float> Output(IReadOnlyCollection<DisposableNamedOnnxValue> outputs, string name) =>
        ((DenseTensor<float>)outputs.First(o => o.Name == name).AsTensor<float>()).Buffer;

    public void Dispose() => session.Dispose();
}
