using System.Diagnostics;
using Road.Data;
using Road.Encoders;
using Road.Heads;
using Road.Inference;
using Road.Pipeline;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Benchmarks;

/// <summary>CPU inference of one model on both backends: load times, features per second, and how far apart their
/// logits are.</summary>
public sealed record InferenceBenchmarkResult(
    string Model, long Parameters, int Features, int Length, int Threads,
    double FirstLoadSeconds, double TorchLoadSeconds, double ExportSeconds, double OnnxLoadSeconds, double OnnxMegabytes,
    double TorchFeaturesPerSecond, double OnnxFeaturesPerSecond, double LargestLogitDifference);

/// <summary>
/// The inference API on the CPU, TorchSharp and ONNX Runtime side by side, on a sentence-pair classifier of ELECTRA's
/// base or large shape with fresh weights (speed does not depend on them; the folder is written like a finetuning
/// stage's): the time to load the model folder (the process's first load, which pays for JIT compilation, and a second
/// one), to export it and to load the graph, then features per second over
/// <c>features</c> inputs of <c>length</c> tokens of random ids as <see cref="InferenceSpeed"/> times them.
/// </summary>
public static class InferenceBenchmark
{
    public static InferenceBenchmarkResult Run(string size, string work, int features, int length)
    {
        var config = EncoderBenchmark.Preset(size);
        string folder = Path.Combine(work, $"electra-{size}-pair-classifier");
        long parameters = WriteModel(folder, config, length);

        var clock = Stopwatch.StartNew();
        TrainedModel.Load(folder).Dispose();
        double firstLoad = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using var torchModel = TrainedModel.Load(folder);
        double torchLoad = clock.Elapsed.TotalSeconds;
        string onnx = Path.Combine(folder, "model.onnx");
        clock.Restart();
        torchModel.ExportOnnx(onnx);
        double export = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using var onnxModel = TrainedModel.LoadOnnx(folder, onnx);
        double onnxLoad = clock.Elapsed.TotalSeconds;

        var random = new Random(0);
        var inputs = Enumerable.Range(0, features)
            .Select(_ => new PairFeature(CompactIds.From(Enumerable.Range(0, length).Select(t => t == 0 ? 101 : random.Next(1000, config.VocabSize)).ToArray(), config.VocabSize), length / 4, 0))
            .ToList();
        (double PerSecond, List<float[]> Logits) Time(TrainedModel model) => InferenceSpeed.Measure(inputs, batch => model.Forward.Logits(batch, null));
        var torch = Time(torchModel);
        var ort = Time(onnxModel);
        double difference = torch.Logits.Zip(ort.Logits).Max(pair => pair.First.Zip(pair.Second).Max(x => Math.Abs(x.First - x.Second)));
        return new InferenceBenchmarkResult($"electra-{size} pair classifier", parameters, features, length, get_num_threads(),
            firstLoad, torchLoad, export, onnxLoad, new FileInfo(onnx).Length / 1048576.0, torch.PerSecond, ort.PerSecond, difference);
    }

    // A model folder as a finetuning stage leaves one. Its tokenizer (the toy vocabulary) is never used: the
    // features are ids already.
    private static long WriteModel(string folder, EncoderConfig config, int length)
    {
        manual_seed(0);
        using var encoder = EncoderModel.Create(config);
        using var head = new ClassificationHead(config.HiddenSize, 3, config.HiddenDropoutProb);
        EncoderCheckpoint.Save(encoder, Path.Combine(folder, "encoder"));
        DataCatalog.ToyTokenizer().Save(Path.Combine(folder, "encoder"));
        AtomicFile.Write(Path.Combine(folder, TrainedModel.HeadFile), temp => Safetensors.SaveStateDict(temp, head.state_dict()));
        new TaskCard("benchmark", TaskKind.Nli, length, Labels: ["entailment", "neutral", "contradiction"]).Write(Path.Combine(folder, TaskCard.File));
        return encoder.parameters().Sum(p => p.numel()) + head.parameters().Sum(p => p.numel());
    }
}
