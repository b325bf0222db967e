using Road.Data;
using Road.Data.Toy;
using Road.Encoders;
using Road.Heads;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>Algorithm 1's gradient averaging and the task sampler.</summary>
public sealed class MultiTaskTests
{
    [Fact]
    public void One_step_accumulates_the_mean_of_the_per_pass_gradients()
    {
        torch.manual_seed(3);
        var tokenizer = Road.Pipeline.DataCatalog.ToyTokenizer();
        var encoder = EncoderModel.Create(new EncoderConfig { VocabSize = 50, EmbeddingSize = 16, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 64, HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0 });
        var mrcHead = new MrcHead(16);
        var nliHead = new ClassificationHead(16, 3, 0.0);
        var mrc = new MrcObjective("mrc", mrcHead, MrcFeatureBuilder.Build(ToyTasks.Mrc(1, 40, 1).Train, tokenizer, new MrcWindowSettings(40, 8, 12)));
        var nli = new PairObjective("nli", nliHead, PairFeatureBuilder.Build(ToyTasks.Nli(2, 40, 1).Train, tokenizer, 24));
        var parameters = encoder.parameters().Concat(mrcHead.parameters()).Concat(nliHead.parameters()).ToList();
        var step = new MultiTaskStep([mrc, nli], new TaskSampler([40, 40], SamplingMode.Uniform, seed: 4), batchSize: 16, examplesPerPass: 4, seed: 5);

        step.Accumulate(encoder, CPU);
        var accumulated = parameters.Select(p => p.grad?.clone() ?? zeros_like(p)).ToList();
        Assert.Equal(4, step.LastPasses.Count);
        Assert.Contains(step.LastPasses, p => p.Task == 0);
        Assert.Contains(step.LastPasses, p => p.Task == 1);

        var sum = parameters.Select(p => zeros_like(p)).ToList();
        foreach (var (task, features) in step.LastPasses)
        {
            foreach (var p in parameters) p.grad = null;
            ITaskObjective objective = task == 0 ? mrc : nli;
            objective.Loss(encoder, features, CPU).backward();
            for (int i = 0; i < parameters.Count; i++) if (parameters[i].grad is { } g) sum[i] += g;
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            var mean = sum[i] / step.Passes;
            Assert.True((accumulated[i] - mean).abs().max().item<float>() < 1e-6, $"parameter {i} differs");
        }
    }

    [Theory]
    [InlineData(SamplingMode.Proportional, new[] { 0.1, 0.3, 0.6 })]
    [InlineData(SamplingMode.Uniform, new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 })]
    [InlineData(SamplingMode.Temperature, new[] { 0.19299, 0.33427, 0.47273 })] // sqrt(100), sqrt(300), sqrt(600), normalised
    public void Sampled_frequencies_match_the_distribution_within_one_point(SamplingMode mode, double[] expected)
    {
        var sampler = new TaskSampler([100, 300, 600], mode, seed: 11, temperature: 2.0);
        Assert.Equal(expected, sampler.Probabilities, (a, b) => Math.Abs(a - b) < 1e-4);
        const int draws = 100_000;
        var counts = new int[3];
        for (int i = 0; i < draws; i++) counts[sampler.Next()]++;
        // The standard error of a frequency here is at most 0.0016; one point is over six of them.
        for (int i = 0; i < 3; i++) Assert.InRange(counts[i] / (double)draws, expected[i] - 0.01, expected[i] + 0.01);
    }
}

/// <summary>Gradient accumulation in finetuning: micro-batches add up to the batch.</summary>
public sealed class GradientAccumulationTests
{
    private static Dictionary<string, Tensor> TrainOneStep(int accumulation)
    {
        torch.manual_seed(8);
        var tokenizer = Road.Pipeline.DataCatalog.ToyTokenizer();
        var features = PairFeatureBuilder.Build(ToyTasks.Nli(2, 12, 1).Train, tokenizer, 24);
        var encoder = EncoderModel.Create(new EncoderConfig { VocabSize = 50, EmbeddingSize = 16, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 16, MaxPositionEmbeddings = 32, HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0 });
        var head = new ClassificationHead(16, 3, 0.0);
        new Finetuner(CPU, new SilentProgress()).Train("s", encoder, new PairObjective("nli", head, features),
            new FinetuneSettings(Epochs: 1, BatchSize: 12, LearningRate: 1e-2, WarmupFraction: 0, GradientAccumulation: accumulation), seed: 1);
        return encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
    }

    [Fact]
    public void Three_micro_batches_update_like_one_batch()
    {
        var whole = TrainOneStep(1);
        var accumulated = TrainOneStep(3);
        foreach (var (name, value) in accumulated)
            Assert.True((value - whole[name]).abs().max().item<float>() < 1e-6, name);
        Assert.True(whole.Values.Zip(TrainOneStep(1).Values).All(p => p.First.equal(p.Second).all().item<bool>()));
    }
}
