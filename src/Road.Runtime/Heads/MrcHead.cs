using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Heads;

/// <summary>Start and end logits over a window ([batch, length]) and a no-answer logit from [CLS] ([batch]).</summary>
public sealed record MrcLogits(Tensor Start, Tensor End, Tensor NoAnswer);

/// <summary>
/// Span extraction for SQuAD 2.0-style MRC: a linear layer gives start and end logits per token (HF's
/// <c>qa_outputs</c>), and an answerability layer on [CLS] scores "no answer" (ELECTRA's SQuAD 2.0 head).
/// </summary>
public sealed class MrcHead : Module<Tensor, MrcLogits>
{
    private readonly Linear qa_outputs;
    private readonly Linear answerability;

    public MrcHead(int hiddenSize) : base(nameof(MrcHead))
    {
        qa_outputs = Linear(hiddenSize, 2);
        answerability = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override MrcLogits forward(Tensor hidden)
    {
        var logits = qa_outputs.forward(hidden);
        var noAnswer = answerability.forward(hidden.select(1, 0)).squeeze(-1);
        return new MrcLogits(logits.select(2, 0), logits.select(2, 1), noAnswer);
    }
}
