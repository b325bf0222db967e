using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Heads;

/// <summary>ELECTRA's sequence classification head on [CLS]: dropout, dense, GELU, dropout, projection to classes.</summary>
public sealed class ClassificationHead : Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Linear out_proj;
    private readonly Dropout dropout;

    public ClassificationHead(int hiddenSize, int classes, double dropoutProbability) : base(nameof(ClassificationHead))
    {
        Classes = classes;
        dense = Linear(hiddenSize, hiddenSize);
        out_proj = Linear(hiddenSize, classes);
        dropout = Dropout(dropoutProbability);
        RegisterComponents();
    }

    public int Classes { get; }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = dropout.forward(hidden.select(1, 0));
        x = dropout.forward(functional.gelu(dense.forward(x)));
        return out_proj.forward(x).MoveToOuterDisposeScope();
    }
}
