using Road.Data;
using Road.Encoders;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>Stacks per-feature arrays into [batch, ...] tensors on a device.</summary>
public static class TensorBatch
{
    public static Tensor Stack(IReadOnlyList<int> batch, Func<int, long[]> row, Device device)
    {
        int width = row(batch[0]).Length;
        var data = new long[batch.Count * width];
        for (int i = 0; i < batch.Count; i++) Array.Copy(row(batch[i]), 0, data, i * width, width);
        return tensor(data, [batch.Count, width], device: device);
    }

    /// <summary>The encoder's hidden states for a batch of features.</summary>
    public static Tensor Encode<T>(EncoderModel encoder, IReadOnlyList<T> features, IReadOnlyList<int> batch, Device device) where T : IEncoderInput =>
        Encode(encoder, features, batch, device, out _);

    /// <summary>The encoder's hidden states for a batch of features, and the batch's attention mask.</summary>
    public static Tensor Encode<T>(EncoderModel encoder, IReadOnlyList<T> features, IReadOnlyList<int> batch, Device device, out Tensor mask) where T : IEncoderInput
    {
        var ids = Stack(batch, i => features[i].InputIds, device);
        mask = Stack(batch, i => features[i].AttentionMask, device);
        var types = Stack(batch, i => features[i].TokenTypeIds, device);
        return encoder.forward(ids, mask, types);
    }

    public static Tensor Column(IReadOnlyList<int> batch, Func<int, long> value, Device device) =>
        tensor(batch.Select(value).ToArray(), [batch.Count], device: device);
}
