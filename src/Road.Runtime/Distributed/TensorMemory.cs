using static TorchSharp.torch;

namespace Road.Distributed;

/// <summary>The address of a contiguous tensor's first element, for the collective libraries' C APIs.</summary>
internal static class TensorMemory
{
    public static IntPtr Address(Tensor tensor)
    {
        if (!tensor.is_contiguous()) throw new RoadException("a collective was handed a non-contiguous tensor; pass a contiguous one.");
        var (storage, size) = tensor.dtype switch
        {
            ScalarType.Float32 => (tensor.storage<float>().data_ptr(), 4),
            ScalarType.Float64 => (tensor.storage<double>().data_ptr(), 8),
            ScalarType.Int64 => (tensor.storage<long>().data_ptr(), 8),
            ScalarType.Byte => (tensor.storage<byte>().data_ptr(), 1),
            ScalarType.BFloat16 => (tensor.storage<short>().data_ptr(), 2),
            var other => throw new RoadException($"collectives take float32, float64, int64, bfloat16 or byte tensors, not {other}."),
        };
        return storage + checked((nint)(tensor.storage_offset() * size));
    }
}
