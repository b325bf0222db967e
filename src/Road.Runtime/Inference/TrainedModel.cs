using Microsoft.ML.OnnxRuntime;
using Road.Encoders;
using Road.Heads;
using Road.Tokenization;
using Road.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Inference;

/// <summary>
/// A finetuned model read from its folder, ready to predict: a finetuning stage's folder (<c>stages/&lt;stage&gt;/</c>
/// of a run: <c>encoder/</c> with its tokenizer, <c>head.safetensors</c>, <c>task.json</c>), or a HuggingFace
/// checkpoint folder with a Road head and task card beside its <c>config.json</c>. Forward passes run on Road's
/// TorchSharp modules (CPU or CUDA, bf16 on the GPU; they take turns) or on ONNX Runtime over the graph
/// <see cref="OnnxExport"/> wrote (CPU, concurrent). Tokenizing and post-processing run on the callers' threads, so
/// <see cref="QuestionAnswerer"/> and <see cref="TextClassifier"/> serve concurrent callers.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    public const string HeadFile = "head.safetensors";

    private TrainedModel(string folder, TaskCard card, ITokenizer tokenizer, IModelForward forward)
    {
        (Folder, Card, Tokenizer, Forward) = (folder, card, tokenizer, forward);
    }

    public string Folder { get; }
    public TaskCard Card { get; }
    public ITokenizer Tokenizer { get; }

    /// <summary>What runs the forward passes: the runtime, device and precision.</summary>
    public string Backend => Forward.Description;

    internal IModelForward Forward { get; }

    /// <summary>The model on Road's TorchSharp modules.</summary>
    /// <param name="device"><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c></param>
    /// <param name="precision">bf16 needs CUDA</param>
    public static TrainedModel Load(string folder, string device = "cpu", Precision precision = Precision.Float32)
    {
        var (card, tokenizer, encoderFolder) = Describe(folder);
        var on = Road.Native.TorchDevice.Initialize(device);
        if (precision == Precision.BFloat16 && on.type != DeviceType.CUDA) throw new RoadException("bf16 inference needs --device cuda; on the CPU a model predicts in fp32.");
        var encoder = EncoderCheckpoint.Load(encoderFolder);
        var head = ReadHead(Path.Combine(folder, HeadFile), card, encoder.Config);
        foreach (var module in new nn.Module[] { encoder, head })
        {
            module.to(on);
            module.to(precision.ComputeType());
            module.eval();
        }
        return new TrainedModel(folder, card, tokenizer, new TorchForward(encoder, head, on, precision));
    }

    /// <summary>The model on ONNX Runtime (CPU) over <paramref name="onnx"/>, the graph ExportOnnx wrote from this
    /// folder; the folder gives the tokenizer and task card.</summary>
    public static TrainedModel LoadOnnx(string folder, string onnx)
    {
        var (card, tokenizer, encoderFolder) = Describe(folder);
        if (!File.Exists(onnx)) throw new RoadException($"{onnx}: no such ONNX file; write it with ./build.sh ExportOnnx --model {folder} --out {onnx}.");
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnx);
        }
        catch (OnnxRuntimeException e)
        {
            throw new RoadException($"{onnx}: ONNX Runtime cannot load it ({e.Message.Split('\n')[0]}).");
        }
        string[] expected = card.IsMrc ? ["start_logits", "end_logits", "no_answer_logit"] : ["logits"];
        if (expected.FirstOrDefault(o => !session.OutputMetadata.ContainsKey(o)) is { } missing)
        {
            session.Dispose();
            throw new RoadException($"{onnx}: the graph has no output {missing}; it is not the {card.Kind} model of {folder}. Export it again with ./build.sh ExportOnnx.");
        }
        return new TrainedModel(folder, card, tokenizer, new OnnxForward(session, EncoderCheckpoint.ReadConfig(encoderFolder).PadTokenId));
    }

    /// <summary>Writes the model as an ONNX graph (from the TorchSharp modules it was loaded into).</summary>
    public void ExportOnnx(string path)
    {
        var torch = Forward as TorchForward ?? throw new RoadException("an ONNX model cannot be exported again; load the model folder with TrainedModel.Load.");
        OnnxExport.Write(torch.Encoder, torch.Head, Card, path);
    }

    private static (TaskCard Card, ITokenizer Tokenizer, string EncoderFolder) Describe(string folder)
    {
        if (!Directory.Exists(folder)) throw new RoadException($"{folder}: no such model folder.");
        var card = TaskCard.Read(Path.Combine(folder, TaskCard.File));
        string encoderFolder = File.Exists(Path.Combine(folder, EncoderCheckpoint.ConfigFile)) ? folder : Path.Combine(folder, "encoder");
        return (card, TokenizerFiles.Load(encoderFolder), encoderFolder);
    }

    private static nn.Module ReadHead(string path, TaskCard card, EncoderConfig encoder)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: not found; the model folder needs the task head a finetuning stage saves.");
        SafetensorsHeader.Validate(path);
        nn.Module head = card.IsMrc
            ? new MrcHead(encoder.HiddenSize, card.FollowupHead, card.YesNoHead)
            : new ClassificationHead(encoder.HiddenSize, card.Labels!.Count, encoder.HiddenDropoutProb);
        var stored = Safetensors.LoadStateDict(path);
        var expected = head.state_dict();
        var wrong = expected.Where(kv => !stored.TryGetValue(kv.Key, out var t) || !t.shape.SequenceEqual(kv.Value.shape)).Select(kv => kv.Key)
            .Concat(stored.Keys.Where(k => !expected.ContainsKey(k))).ToList();
        if (wrong.Count > 0)
            throw new RoadException($"{path}: the head does not fit task.json ({card.Kind}, {(card.IsMrc ? "span head" : $"{card.Labels!.Count} labels")}) and a hidden size of {encoder.HiddenSize}; keys missing, extra or misshapen: {string.Join(", ", wrong.Take(5))}.");
        head.load_state_dict(stored);
        return head;
    }

    public void Dispose() => Forward.Dispose();
}
