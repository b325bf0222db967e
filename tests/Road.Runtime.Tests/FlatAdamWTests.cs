using Road.Encoders;
using Road.Heads;
using Road.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>The flat AdamW against TorchSharp's own AdamW and clip_grad_norm_, step for step.</summary>
public sealed class FlatAdamWTests
{
    private static (EncoderModel Encoder, MrcHead Head) Model()
    {
        torch.manual_seed(7);
        var encoder = EncoderModel.Create(new EncoderConfig { VocabSize = 30, EmbeddingSize = 8, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 24, MaxPositionEmbeddings = 16, HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0 });
        var head = new MrcHead(16);
        return (encoder, head);
    }

    private static Tensor Loss(EncoderModel encoder, MrcHead head, int step)
    {
        var generator = new Generator((ulong)(100 + step));
        var ids = randint(0, 30, [4, 10], generator: generator);
        var logits = head.forward(encoder.forward(ids, ones_like(ids), zeros_like(ids)));
        var start = randint(0, 10, [4], generator: generator);
        // A large loss scale makes the gradient norm exceed 1 so that clipping is exercised.
        return 50 * nn.functional.cross_entropy(logits.Start, start) + logits.NoAnswer.sum();
    }

    [Fact]
    public void Five_steps_equal_reference_adamw_with_clipping_and_decay_groups()
    {
        var (refEncoder, refHead) = Model();
        var (encoder, head) = Model();
        var refParams = refEncoder.named_parameters().Concat(refHead.named_parameters().Select(p => ("head." + p.name, p.parameter))).ToList();
        var reference = optim.AdamW(
        [
            new AdamW.ParamGroup(refParams.Where(p => FlatAdamW.Decays(p.Item1)).Select(p => p.Item2), new AdamW.Options { weight_decay = 0.01 }),
            new AdamW.ParamGroup(refParams.Where(p => !FlatAdamW.Decays(p.Item1)).Select(p => p.Item2), new AdamW.Options { weight_decay = 0 }),
        ], 1e-3, 0.9, 0.999, 1e-6);
        var flat = new FlatAdamW(encoder.named_parameters().Concat(head.named_parameters().Select(p => ("head." + p.name, p.parameter))).Select(p => (p.Item1, p.Item2)).ToList(), 1e-3, 0.01);

        double clippedNorm = 0;
        for (int step = 0; step < 5; step++)
        {
            reference.zero_grad();
            Loss(refEncoder, refHead, step).backward();
            clippedNorm = nn.utils.clip_grad_norm_(refParams.Select(p => p.Item2), 1.0);
            reference.step();

            flat.ZeroGrad();
            Loss(encoder, head, step).backward();
            double norm = flat.Step(1.0).item<float>();
            Assert.Equal(clippedNorm, norm, 3);
        }
        Assert.True(clippedNorm > 1, "the test should exercise clipping");
        // The fused kernel divides the gradients by the clipping factor's inverse and orders the bias corrections its own
        // way: after five steps the weights agree to float32 noise (about 2e-6 at most here).
        var expected = refEncoder.state_dict();
        foreach (var (name, value) in encoder.state_dict())
            Assert.True((value - expected[name]).abs().max().item<float>() < 1e-5, $"{name}: {(value - expected[name]).abs().max().item<float>():E2}");
    }

    [Fact]
    public void Bf16_compute_keeps_float32_masters_and_still_learns()
    {
        var (encoder, head) = Model();
        encoder.to(ScalarType.BFloat16);
        head.to(ScalarType.BFloat16);
        var flat = new FlatAdamW(encoder.named_parameters().Concat(head.named_parameters()).Select(p => (p.name, p.parameter)).ToList(), 3e-3, 0.0, Precision.BFloat16);
        Assert.All(encoder.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        var first = Loss(encoder, head, 0).to(ScalarType.Float32).item<float>();
        for (int i = 0; i < 30; i++)
        {
            flat.ZeroGrad();
            Loss(encoder, head, 0).to(ScalarType.Float32).backward();
            flat.Step(1.0);
        }
        Assert.True(Loss(encoder, head, 0).to(ScalarType.Float32).item<float>() < 0.5 * first);
    }
}

/// <summary>ELECTRA's layer depths and the per-parameter learning rates they give.</summary>
public sealed class LayerwiseLearningRateTests
{
    [Theory]
    [InlineData("embeddings.word_embeddings.weight", 0)]
    [InlineData("embeddings_project.weight", 0)]
    [InlineData("encoder.layer.0.attention.self.query.weight", 1)]
    [InlineData("encoder.layer.11.output.dense.bias", 12)]
    [InlineData("encoder.embedding_hidden_mapping_in.weight", 0)]
    [InlineData("encoder.albert_layer_groups.0.albert_layers.0.ffn.weight", 12)]
    [InlineData("pooler.dense.weight", 13)]
    [InlineData("head.qa_outputs.weight", 14)]
    public void Depths_follow_electra(string name, int depth) => Assert.Equal(depth, LayerwiseLearningRate.Depth(name, 12));

    [Fact]
    public void Scale_is_the_multiplier_to_the_distance_from_the_top() =>
        Assert.Equal(Math.Pow(0.9, 14), LayerwiseLearningRate.Scale("embeddings.LayerNorm.weight", 12, 0.9), 12);

    [Fact]
    public void Layerwise_flat_adamw_with_clipping_equals_reference_adamw_with_one_group_per_depth()
    {
        torch.manual_seed(5);
        EncoderModel Make() => EncoderModel.Create(new EncoderConfig { VocabSize = 20, EmbeddingSize = 8, HiddenSize = 8, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 8, MaxPositionEmbeddings = 8, HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0 });
        var reference = Make();
        var flat = Make();
        flat.load_state_dict(reference.state_dict());
        double Scale(string name) => LayerwiseLearningRate.Scale(name, 2, 0.75);
        var groups = reference.named_parameters().GroupBy(p => (Scale(p.name), FlatAdamW.Decays(p.name)))
            .Select(g => new AdamW.ParamGroup(g.Select(p => p.parameter), new AdamW.Options { LearningRate = 1e-2 * g.Key.Item1, weight_decay = g.Key.Item2 ? 0.01 : 0 }))
            .ToList();
        var referenceOptimizer = optim.AdamW(groups, 1e-2, 0.9, 0.999, 1e-6);
        var flatOptimizer = new FlatAdamW(flat.named_parameters().Select(p => (p.name, p.parameter)).ToList(), 1e-2, 0.01, learningRateScale: Scale);
        var ids = tensor(new long[] { 1, 5, 7, 2 }, [1, 4]);
        for (int step = 0; step < 3; step++)
        {
            referenceOptimizer.zero_grad();
            reference.forward(ids, ones_like(ids), zeros_like(ids)).pow(2).sum().backward();
            double clipped = nn.utils.clip_grad_norm_(reference.parameters(), 1.0);
            referenceOptimizer.step();
            flatOptimizer.ZeroGrad();
            flat.forward(ids, ones_like(ids), zeros_like(ids)).pow(2).sum().backward();
            Assert.Equal(clipped, flatOptimizer.Step(1.0).item<float>(), 3);
        }
        // Per-element learning rates round in another order than a group's scalar step size: agree to float32 noise.
        var expected = reference.state_dict();
        foreach (var (name, value) in flat.state_dict())
            Assert.True((value - expected[name]).abs().max().item<float>() < 1e-5, $"{name}: {(value - expected[name]).abs().max().item<float>():E2}");
    }
}
