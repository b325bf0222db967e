using Road.Encoders;
using Road.Heads;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>The head a task kind needs on an encoder: span extraction (with QuAC's dialog heads where declared) or
/// classification over the dataset's labels. Weights are drawn fresh from the current stage's generator.</summary>
public static class TaskHeads
{
    public static nn.Module Create(BoundTask task, EncoderConfig encoder)
    {
        nn.Module head = task.Mrc is not null
            ? new MrcHead(encoder.HiddenSize, task.Spec.FollowupHead, task.Spec.YesNoHead)
            : new ClassificationHead(encoder.HiddenSize, task.Classes, encoder.HiddenDropoutProb);
        WeightInitialization.Apply(head);
        return head;
    }

    /// <summary>Tasks that can share one head in multi-task pretraining: the same kind, classes and dialog heads.</summary>
    public static string SharingKey(BoundTask task) => $"{task.Spec.Kind}/{task.Classes}/{task.Spec.FollowupHead}/{task.Spec.YesNoHead}";
}
