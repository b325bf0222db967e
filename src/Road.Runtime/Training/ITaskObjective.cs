using Road.Encoders;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>What one task contributes to training: its examples, its head's parameters and its loss on a batch.</summary>
public interface ITaskObjective
{
    string TaskName { get; }

    /// <summary>Training features (MRC windows or pairs); batches are index sets into them.</summary>
    int FeatureCount { get; }

    /// <summary>The unpadded length of a training feature, for batches grouped by length.</summary>
    int Length(int feature);

    nn.Module Head { get; }

    /// <summary>The mean loss over the given features; the caller owns the dispose scope.</summary>
    Tensor Loss(EncoderModel encoder, IReadOnlyList<int> batch, Device device);
}
