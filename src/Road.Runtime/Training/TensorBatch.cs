using Road.Data;
using Road.Encoders;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// Turns a batch of features into [batch, width] tensors on a device, padded to the batch's longest sequence rounded
/// up to a multiple of 8 (what tensor cores and vectorised kernels like), not to the task's maximum length.
/// </summary>
public static class TensorBatch
{
    public const int PadMultiple = 8;

    /// <summary>The padded width of a batch.</summary>
    public static int Width<T>(IReadOnlyList<T> features, IReadOnlyList<int> batch) where T : IEncoderInput
    {
        int longest = 0;
        foreach (int i in batch) longest = Math.Max(longest, features[i].Ids.Length);
        return (longest + PadMultiple - 1) / PadMultiple * PadMultiple;
    }

    /// <summary>The encoder's hidden states for a batch of features.</summary>
    public static Tensor Encode<T>(EncoderModel encoder, IReadOnlyList<T> features, IReadOnlyList<int> batch, Device device) where T : IEncoderInput =>
        Encode(encoder, features, batch, device, out _);

    /// <summary>The encoder's hidden states for a batch of features, and the batch's attention mask.</summary>
    public static Tensor Encode<T>(EncoderModel encoder, IReadOnlyList<T> features, IReadOnlyList<int> batch, Device device, out Tensor mask) where T : IEncoderInput
    {
        var (ids, attend, types) = Inputs(features, batch, encoder.Config.PadTokenId, device);
        mask = attend;
        return encoder.forward(ids, attend, types);
    }

    /// <summary>Input ids (padding with <paramref name="padId"/>), attention mask and token types, each [batch, width].</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Types) Inputs<T>(IReadOnlyList<T> features, IReadOnlyList<int> batch, long padId, Device device) where T : IEncoderInput
    {
        var (ids, attend, types, width) = InputArrays(features, batch, padId);
        long[] shape = [batch.Count, width];
        return (tensor(ids, shape, device: device), tensor(attend, shape, device: device), tensor(types, shape, device: device));
    }

    /// <summary>The same inputs as row-major arrays of [batch, width], for runtimes other than libtorch.</summary>
    public static (long[] Ids, long[] Mask, long[] Types, int Width) InputArrays<T>(IReadOnlyList<T> features, IReadOnlyList<int> batch, long padId) where T : IEncoderInput
    {
        int width = Width(features, batch);
        var ids = new long[batch.Count * width];
        var attend = new long[ids.Length];
        var types = new long[ids.Length];
        Array.Fill(ids, padId);
        for (int b = 0; b < batch.Count; b++)
        {
            var feature = features[batch[b]];
            int row = b * width;
            for (int t = 0; t < feature.Ids.Length; t++)
            {
                ids[row + t] = feature.Ids[t];
                attend[row + t] = 1;
                types[row + t] = t >= feature.SecondSegment ? 1 : 0;
            }
        }
        return (ids, attend, types, width);
    }

    public static Tensor Column(IReadOnlyList<int> batch, Func<int, long> value, Device device) =>
        tensor(batch.Select(value).ToArray(), [batch.Count], device: device);
}
