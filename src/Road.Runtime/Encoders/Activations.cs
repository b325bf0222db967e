using TorchSharp;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>The activation functions HuggingFace names in <c>hidden_act</c>.</summary>
public static class Activations
{
    public static Func<Tensor, Tensor> ByName(string name) => name switch
    {
        "gelu" => x => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => GeluTanh,
        "relu" => x => nn.functional.relu(x),
        "silu" or "swish" => x => nn.functional.silu(x),
        _ => throw new RoadException($"hidden_act \"{name}\" is not supported; use gelu, gelu_new, relu or silu."),
    };

    // The tanh approximation of GELU (HF's gelu_new), written out because it is the exact formula HF uses.
    private static Tensor GeluTanh(Tensor x)
    {
        using var scope = NewDisposeScope();
        var inner = x.Add(x.Power(3).Times(0.044715)).Times(Math.Sqrt(2.0 / Math.PI));
        return (x.Times(0.5) * inner.tanh().Plus(1.0)).MoveToOuterDisposeScope();
    }
}
