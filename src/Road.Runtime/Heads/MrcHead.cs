using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Heads;

/// <summary>Start and end logits over a window ([batch, length]), a no-answer logit from [CLS] ([batch]) and, for
/// QuAC, 3-way follow-up and yes/no logits ([batch, 3]).</summary>
public sealed record MrcLogits(Tensor Start, Tensor End, Tensor NoAnswer, Tensor? Followup = null, Tensor? YesNo = null);

/// <summary>
/// Span extraction for SQuAD 2.0-style MRC: a linear layer gives start and end logits per token (HF's
/// <c>qa_outputs</c>), and an answerability layer on [CLS] scores "no answer" (ELECTRA's SQuAD 2.0 head). QuAC adds
/// a follow-up (y/m/n) and a yes/no (y/n/x) classifier on [CLS].
/// </summary>
public sealed class MrcHead : Module<Tensor, MrcLogits>
{
    private readonly Linear qa_outputs;
    private readonly Linear answerability;
    private readonly Linear? followup;
    private readonly Linear? yes_no;

    public MrcHead(int hiddenSize, bool followupHead = false, bool yesNoHead = false) : base(nameof(MrcHead))
    {
        qa_outputs = Linear(hiddenSize, 2);
        answerability = Linear(hiddenSize, 1);
        if (followupHead) followup = Linear(hiddenSize, 3);
        if (yesNoHead) yes_no = Linear(hiddenSize, 3);
        RegisterComponents();
    }

    public bool HasFollowup => followup is not null;

    public bool HasYesNo => yes_no is not null;

    public override MrcLogits forward(Tensor hidden)
    {
        var logits = qa_outputs.forward(hidden);
        var cls = hidden.select(1, 0);
        var noAnswer = answerability.forward(cls).squeeze(-1);
        return new MrcLogits(logits.select(2, 0), logits.select(2, 1), noAnswer, followup?.forward(cls), yes_no?.forward(cls));
    }
}
