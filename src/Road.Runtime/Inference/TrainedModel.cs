using Road.Encoders;
using Road.Evaluation;
using Road.Heads;
using Road.Tokenization;
using Road.Training;
using TorchSharp.PyBridge;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Inference;

/// <summary>
/// A finetuned model read from its folder, ready to predict: a finetuning stage's folder (<c>stages/&lt;stage&gt;/</c>
/// of a run: <c>encoder/</c> with its tokenizer, <c>head.safetensors</c>, <c>task.json</c>), or a HuggingFace
/// checkpoint folder with a Road head and task card beside its <c>config.json</c>. On CUDA it may compute in bf16.
/// Forward passes take turns (one module, one device); tokenizing and post-processing run on the callers' threads,
/// so <see cref="QuestionAnswerer"/> and <see cref="TextClassifier"/> serve concurrent callers.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    public const string HeadFile = "head.safetensors";

    private readonly Lock _forward = new();

    private TrainedModel(string folder, TaskCard card, ITokenizer tokenizer, EncoderModel encoder, nn.Module head, Device device, Precision precision)
    {
        (Folder, Card, Tokenizer, Encoder, Head, Device, Precision) = (folder, card, tokenizer, encoder, head, device, precision);
    }

    public string Folder { get; }
    public TaskCard Card { get; }
    public ITokenizer Tokenizer { get; }
    public Device Device { get; }
    public Precision Precision { get; }
    internal EncoderModel Encoder { get; }
    internal nn.Module Head { get; }

    /// <param name="device"><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c></param>
    /// <param name="precision">bf16 needs CUDA</param>
    public static TrainedModel Load(string folder, string device = "cpu", Precision precision = Precision.Float32)
    {
        if (!Directory.Exists(folder)) throw new RoadException($"{folder}: no such model folder.");
        var card = TaskCard.Read(Path.Combine(folder, TaskCard.File));
        string encoderFolder = File.Exists(Path.Combine(folder, EncoderCheckpoint.ConfigFile)) ? folder : Path.Combine(folder, "encoder");
        var tokenizer = TokenizerFiles.Load(encoderFolder);
        var on = Road.Native.TorchDevice.Initialize(device);
        if (precision == Precision.BFloat16 && on.type != DeviceType.CUDA) throw new RoadException("bf16 inference needs --device cuda; on the CPU a model predicts in fp32.");
        var encoder = EncoderCheckpoint.Load(encoderFolder);
        var head = ReadHead(Path.Combine(folder, HeadFile), card, encoder.Config);
        encoder.to(on);
        encoder.to(precision.ComputeType());
        encoder.eval();
        head.to(on);
        head.to(precision.ComputeType());
        head.eval();
        return new TrainedModel(folder, card, tokenizer, encoder, head, on, precision);
    }

    /// <summary>Runs <paramref name="forward"/> while no other caller's forward runs.</summary>
    internal T Forward<T>(Func<TaskEvaluator, T> forward)
    {
        lock (_forward)
        {
            return forward(new TaskEvaluator(Device));
        }
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

    public void Dispose()
    {
        Encoder.Dispose();
        Head.Dispose();
    }
}
