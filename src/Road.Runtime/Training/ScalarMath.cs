using TorchSharp;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// Tensor arithmetic with numbers that holds each number's Scalar until the native call returns, then frees it.
/// TorchSharp 0.107 turns numbers into Scalars that only the garbage collector frees, and a collection during the
/// native call that reads one can free it first: an intermittent "Unknown scalar type" from libtorch (TorchSharp
/// pull requests #1434 and #1496 are open about it). The training and evaluation loops use these instead of
/// <c>tensor * 0.5</c> and friends, and <see cref="Add"/> instead of <c>a + b</c>, whose operator passes an alpha of
/// 1 made the same way (seen failing as "toFloat ... Expected false to be true" in a smoke run; subtraction takes no
/// alpha).
/// </summary>
public static class ScalarMath
{
    // The alpha of tensor addition, held for the life of the process so that no finalizer can free it mid-call.
    private static readonly Scalar One = 1.0.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Add(this Tensor a, Tensor b) => a.add(b, One);

    public static Tensor Times(this Tensor tensor, double value) => With(value, s => tensor.mul(s));

    public static Tensor Over(this Tensor tensor, double value) => With(value, s => tensor.div(s));

    public static Tensor Plus(this Tensor tensor, double value) => With(value, s => tensor.add(s));

    /// <summary><paramref name="value"/> minus the tensor. Not <c>tensor.neg().add_(s)</c>: TorchSharp's in-place methods
    /// return a new wrapper of the result, so nothing holds the negated temporary during the native call, and a
    /// collection then can free the tensor the call is writing (FlatAdamW's constructor says more).</summary>
    public static Tensor Minus(this double value, Tensor tensor) => With(value, s =>
    {
        using var negated = tensor.neg();
        return negated.add(s);
    });

    public static Tensor TimesInPlace(this Tensor tensor, double value) => With(value, s => tensor.mul_(s));

    public static Tensor PlusInPlace(this Tensor tensor, double value) => With(value, s => tensor.add_(s));

    /// <summary>tensor += alpha * other.</summary>
    public static Tensor PlusScaled(this Tensor tensor, Tensor other, double alpha) => With(alpha, s => tensor.add_(other, s));

    /// <summary>tensor += value * first * second.</summary>
    public static Tensor PlusProduct(this Tensor tensor, Tensor first, Tensor second, double value) => With(value, s => tensor.addcmul_(first, second, s));

    /// <summary>tensor += value * numerator / denominator.</summary>
    public static Tensor PlusQuotient(this Tensor tensor, Tensor numerator, Tensor denominator, double value) => With(value, s => tensor.addcdiv_(numerator, denominator, s));

    public static Tensor AtLeast(this Tensor tensor, double value) => With(value, s => tensor.clamp_min(s));

    public static Tensor AtMost(this Tensor tensor, double value) => With(value, s => tensor.clamp_max(s));

    public static Tensor FillWhere(this Tensor tensor, Tensor mask, double value) => With(value, s => tensor.masked_fill(mask, s));

    public static Tensor EqualTo(this Tensor tensor, double value) => With(value, s => tensor.eq(s));

    public static Tensor AtLeastMask(this Tensor tensor, double value) => With(value, s => tensor.ge(s));

    public static Tensor Power(this Tensor tensor, double exponent) => With(exponent, s => tensor.pow(s));

    /// <summary>0, 1, ..., count - 1 as int64 on a device.</summary>
    public static Tensor Positions(long count, Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = count.ToScalar();
        using var step = 1L.ToScalar();
        return arange(start, stop, step, dtype: ScalarType.Int64, device: device);
    }

    // The Scalar lives until the operation returns and is freed then, not by a finalizer.
    private static Tensor With(double value, Func<Scalar, Tensor> operation)
    {
        using var scalar = value.ToScalar();
        return operation(scalar);
    }
}
