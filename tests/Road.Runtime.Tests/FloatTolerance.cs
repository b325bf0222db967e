namespace Road.Tests;

/// <summary>Floats equal within an absolute tolerance, for comparing arrays with Assert.Equal.</summary>
internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
