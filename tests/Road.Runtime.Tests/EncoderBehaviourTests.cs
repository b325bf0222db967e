using Road.Encoders;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>Determinism, dropout and bf16 compute of the encoders.</summary>
public sealed class EncoderBehaviourTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference", "electra-tiny");

    private static Dictionary<string, Tensor> Inputs() => Safetensors.LoadStateDict(Path.Combine(Fixture, "expected.safetensors"));

    private static Dictionary<string, Tensor> SeededGradients(Dictionary<string, Tensor> inputs)
    {
        torch.manual_seed(11);
        var encoder = EncoderCheckpoint.Load(Fixture);
        encoder.train(); // dropout on: the seed must fix its masks too
        encoder.forward(inputs["input_ids"], inputs["attention_mask"], inputs["token_type_ids"]).pow(2).sum().backward();
        return encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    [Fact]
    public void A_seeded_cpu_forward_and_backward_is_bitwise_repeatable()
    {
        var inputs = Inputs();
        var first = SeededGradients(inputs);
        var second = SeededGradients(inputs);
        Assert.All(first, kv => Assert.True(kv.Value.equal(second[kv.Key]).all().item<bool>(), kv.Key));
    }

    [Fact]
    public void Dropout_acts_in_training_only()
    {
        var inputs = Inputs();
        var encoder = EncoderCheckpoint.Load(Fixture);
        Tensor Run() => encoder.forward(inputs["input_ids"], inputs["attention_mask"], inputs["token_type_ids"]);
        using var noGrad = no_grad();
        encoder.eval();
        var eval1 = Run();
        var eval2 = Run();
        encoder.train();
        var train = Run();
        Assert.True(eval1.equal(eval2).all().item<bool>());
        Assert.True((train - eval1).abs().max().item<float>() > 1e-3, "dropout (p = 0.1 in config.json) should change training outputs");
    }

    [Fact]
    public void Bf16_compute_stays_close_to_the_float32_reference()
    {
        var inputs = Inputs();
        var encoder = EncoderCheckpoint.Load(Fixture);
        encoder.eval();
        encoder.to(ScalarType.BFloat16);
        using var noGrad = no_grad();
        var actual = encoder.forward(inputs["input_ids"], inputs["attention_mask"], inputs["token_type_ids"]);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        double worst = (actual.to(ScalarType.Float32) - inputs["last_hidden_state"]).abs().max().item<float>();
        // bf16 keeps 8 bits of mantissa; LayerNorm outputs are O(1), so a few hundredths is the expected error.
        Assert.InRange(worst, 1e-6, 0.1);
    }
}
