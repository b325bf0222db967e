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
        var expected = refEncoder.state_dict();
        foreach (var (name, value) in encoder.state_dict())
            Assert.True((value - expected[name]).abs().max().item<float>() < 1e-6, $"{name}: {(value - expected[name]).abs().max().item<float>():E2}");
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
