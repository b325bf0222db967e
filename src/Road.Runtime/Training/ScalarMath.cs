using TorchSharp;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// Tensor arithmetic with numbers that holds each number's Scalar until the native call returns, then frees it.
/// TorchSharp 0.107 turns numbers into Scalars that only the garbage collector frees, and a collection during the
/// native call that reads one can free it first: an intermittent "Unknown scalar type" from libtorch (TorchSharp
/// pull requests #1434 and #1496 are open about it). The training and evaluation loops use these instead of
/// <c>tensor * 0.5</c> and friends.
/// </summary>
public static class ScalarMath
{
    public static Tensor Times(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.mul(scalar);
    }

    public static Tensor Over(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.div(scalar);
    }

    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar);
    }

    /// <summary><paramref name="value"/> minus the tensor.</summary>
    public static Tensor Minus(this double value, Tensor tensor)
    {
        using var scalar = value.ToScalar();
        return tensor.neg().add_(scalar);
    }

    public static Tensor TimesInPlace(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.mul_(scalar);
    }

    public static Tensor PlusInPlace(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add_(scalar);
    }

    /// <summary>tensor += alpha * other.</summary>
    public static Tensor PlusScaled(this Tensor tensor, Tensor other, double alpha)
    {
        using var scalar = alpha.ToScalar();
        return tensor.add_(other, scalar);
    }

    /// <summary>tensor += value * first * second.</summary>
    public static Tensor PlusProduct(this Tensor tensor, Tensor first, Tensor second, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.addcmul_(first, second, scalar);
    }

    /// <summary>tensor += value * numerator / denominator.</summary>
    public static Tensor PlusQuotient(this Tensor tensor, Tensor numerator, Tensor denominator, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.addcdiv_(numerator, denominator, scalar);
    }

    public static Tensor AtLeast(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.clamp_min(scalar);
    }

    public static Tensor AtMost(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.clamp_max(scalar);
    }

    public static Tensor FillWhere(this Tensor tensor, Tensor mask, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.masked_fill(mask, scalar);
    }

    public static Tensor EqualTo(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.eq(scalar);
    }

    public static Tensor AtLeastMask(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.ge(scalar);
    }

    public static Tensor Power(this Tensor tensor, double exponent)
    {
        using var scalar = exponent.ToScalar();
        return tensor.pow(scalar);
    }

    /// <summary>0, 1, ..., count - 1 as int64 on a device.</summary>
    public static Tensor Positions(long count, Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = count.ToScalar();
        using var step = 1L.ToScalar();
        return arange(start, stop, step, dtype: ScalarType.Int64, device: device);
    }
}
