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

    public static Tensor Column(IReadOnlyList<int> batch, Func<int, long> value, Device device) =>
        tensor(batch.Select(value).ToArray(), [batch.Count], device: device);
}
