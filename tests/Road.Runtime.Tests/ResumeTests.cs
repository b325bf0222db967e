using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>A run killed mid-training and resumed ends exactly as an uninterrupted one, learning curve included.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "road-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    private sealed class Killed : Exception;

    /// <summary>Stands in for a kill: the process stops in the middle of a stage, after its last checkpoint.</summary>
    private sealed class KillAt(string stage, int step) : ITrainingProgress
    {
        public void Report(TrainingTick tick)
        {
            if (tick.Stage == stage && tick.Step == step) throw new Killed();
        }

        public void Note(string line) { }
    }

    // tiny-table4 shortened: teachers, two multi-task stages and six finetuning stages, each a few steps long.
    private static ExperimentEntry Shortened() => ShortRuns.Shortened("tiny-table4", trainExamples: 160, epochs: 2, multiTaskSteps: 12);

    [Theory]
    [InlineData("MtlKd", 8)] // in multi-task pretraining, after the checkpoint at step 5
    [InlineData("MtlNli", 7)] // in finetuning, after the checkpoint at step 5
    public void Killed_then_resumed_gives_the_same_metrics_as_uninterrupted(string stage, int step)
    {
        var entry = Shortened();
        var options = new RunOptions("cpu", 3, Path.Combine(_output, "whole"), CheckpointEvery: 5);
        var whole = ExperimentRunner.Run(entry, options, new SilentProgress());

        var interrupted = options with { Output = Path.Combine(_output, "killed") };
        Assert.Throws<Killed>(() => ExperimentRunner.Run(entry, interrupted, new KillAt(stage, step)));
        string run = Directory.GetDirectories(Path.Combine(interrupted.Output, "tiny-table4")).Single();
        Assert.False(File.Exists(Path.Combine(run, "metrics.json")));
        Assert.True(File.Exists(Path.Combine(run, "stages", stage, "checkpoint", "state.safetensors")));
        Assert.Contains("\"running\"", File.ReadAllText(Path.Combine(run, "manifest.json")));

        var resumed = ExperimentRunner.Run(entry, interrupted with { Resume = true, Seed = null }, new SilentProgress());
        Assert.Equal(run, resumed.Folder.Path);
        Assert.Equal(File.ReadAllBytes(whole.Folder.File("metrics.json")), File.ReadAllBytes(resumed.Folder.File("metrics.json")));
        // The learning curve spans the kill: every step's loss, as the uninterrupted run wrote it.
        string curve = File.ReadAllText(whole.Folder.File("stages", stage, "losses.tsv"));
        Assert.Equal(curve, File.ReadAllText(resumed.Folder.File("stages", stage, "losses.tsv")));
        Assert.Equal(whole.Results.Single(r => r.Stage == stage).Training.Steps + 1, curve.TrimEnd('\n').Split('\n').Length);
        Assert.False(Directory.Exists(Path.Combine(run, "stages", stage, "checkpoint")));
        Assert.True(File.Exists(Path.Combine(run, "stages", stage, "encoder", "model.safetensors")));
    }

    [Fact]
    public void Resume_without_an_unfinished_run_is_a_clear_error()
    {
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(Shortened(), new RunOptions(Output: _output, Resume: true), new SilentProgress()));
        Assert.Contains("nothing to resume", error.Message);
    }
}

/// <summary>A non-finite loss stops training, names where, and leaves the weights and the last checkpoint good.</summary>
public sealed class NonFiniteLossTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-nan-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class NanAtCall(ITaskObjective inner, int call) : ITaskObjective
    {
        private int _calls;
        public string TaskName => inner.TaskName;
        public int FeatureCount => inner.FeatureCount;
        public int Length(int feature) => inner.Length(feature);
        public TorchSharp.torch.nn.Module Head => inner.Head;

        public TorchSharp.torch.Tensor Loss(Road.Encoders.EncoderModel encoder, IReadOnlyList<int> batch, TorchSharp.torch.Device device)
        {
            var loss = inner.Loss(encoder, batch, device);
            return ++_calls == call ? loss * double.NaN : loss;
        }
    }

    [Fact]
    public void Nan_at_step_three_names_stage_step_and_dataset_and_keeps_step_two()
    {
        TorchSharp.torch.manual_seed(1);
        var tokenizer = DataCatalog.ToyTokenizer();
        var features = Road.Data.PairFeatureBuilder.Build(Road.Data.Toy.ToyTasks.Nli(2, 64, 1).Train, tokenizer, 24);
        var encoder = Road.Encoders.EncoderModel.Create(new Road.Encoders.EncoderConfig { VocabSize = 50, EmbeddingSize = 16, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 16, MaxPositionEmbeddings = 32 });
        var head = new Road.Heads.ClassificationHead(16, 3, 0.1);
        var objective = new NanAtCall(new PairObjective("FactsNli", head, features), call: 3);
        var checkpoint = new TrainingCheckpoint(Path.Combine(_folder, "checkpoint"));
        var error = Assert.Throws<RoadException>(() => new Finetuner(TorchSharp.torch.CPU, new SilentProgress())
            .Train("FinetuneNli", encoder, objective, new FinetuneSettings(Epochs: 1, BatchSize: 16), seed: 1, checkpoint: checkpoint, checkpointEvery: 1));
        Assert.Equal("stage FinetuneNli, dataset FactsNli: the loss became NaN at step 3; the last good checkpoint is kept. Lower the learning rate.", error.Message);
        Assert.All(encoder.parameters(), p => Assert.False(p.isnan().any().item<bool>()));
        Assert.Contains("\"Step\":2", File.ReadAllText(Path.Combine(_folder, "checkpoint", "state.json")));
    }
}
