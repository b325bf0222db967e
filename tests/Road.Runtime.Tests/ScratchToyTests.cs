using System.Diagnostics;
using Road.Data;
using Road.Data.Toy;
using Road.Encoders;
using Road.Evaluation;
using Road.Heads;
using Road.Tokenization;
using Road.Training;
using Xunit.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Tests;

public sealed class ScratchToyTests(ITestOutputHelper output)
{
    private sealed class Null : ITrainingProgress { public void Report(TrainingTick t) { } }

    [Fact]
    public void Scratch()
    {
        torch.manual_seed(13);
        var tok = WordPieceTokenizer.FromVocabulary(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ToyWorld.Vocabulary())));
        var config = new EncoderConfig { VocabSize = ToyWorld.Vocabulary().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, EmbeddingSize = 64, HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 128, MaxPositionEmbeddings = 64, HiddenDropoutProb = double.Parse(Environment.GetEnvironmentVariable("DR") ?? "0.1"), AttentionProbsDropoutProb = double.Parse(Environment.GetEnvironmentVariable("DR") ?? "0.1") };
        int epochs = int.Parse(Environment.GetEnvironmentVariable("EP") ?? "3");
        int n = int.Parse(Environment.GetEnvironmentVariable("N") ?? "4000");
        double lr = double.Parse(Environment.GetEnvironmentVariable("LR") ?? "1e-3");
        var mrc = ToyTasks.Mrc(1, n, 500);
        var sw = Stopwatch.StartNew();
        var enc = EncoderModel.Create(config); WeightInitialization.Apply(enc);
        var head = new MrcHead(64); WeightInitialization.Apply(head);
        var feats = MrcFeatureBuilder.Build(mrc.Train, tok, new MrcWindowSettings(40, 8, 12));
        var dev = MrcFeatureBuilder.Build(mrc.Dev, tok, new MrcWindowSettings(40, 8, 12));
        output.WriteLine($"features {feats.Count} dev {dev.Count} ids {string.Join(",", feats[0].InputIds)} s {feats[0].StartPosition} e {feats[0].EndPosition}");
        var summary = new Finetuner(CPU, new Null()).Train("mrc", enc, new MrcObjective("mrc", head, feats), new FinetuneSettings(epochs, 32, lr), 13);
        var (m, _) = new TaskEvaluator(CPU).Mrc(enc, head, mrc.Dev, dev);
        output.WriteLine($"mrc {summary} {m} {sw.Elapsed}");
        sw.Restart();
        var nli = ToyTasks.Nli(2, n, 500);
        var enc2 = EncoderModel.Create(config); WeightInitialization.Apply(enc2);
        var head2 = new ClassificationHead(64, 3, 0.1); WeightInitialization.Apply(head2);
        var pf = PairFeatureBuilder.Build(nli.Train, tok, 24);
        var s2 = new Finetuner(CPU, new Null()).Train("nli", enc2, new PairObjective("nli", head2, pf), new FinetuneSettings(epochs, 32, lr), 13);
        var acc = new TaskEvaluator(CPU).Pair(enc2, head2, PairFeatureBuilder.Build(nli.Dev, tok, 24));
        output.WriteLine($"nli {s2} {acc} {sw.Elapsed}");
    }
}
