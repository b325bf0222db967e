namespace Road.Training;

/// <summary>How a multi-task step picks the dataset of each pass.</summary>
public enum SamplingMode
{
    /// <summary>In proportion to dataset size (the paper's default).</summary>
    Proportional,
    Uniform,
    /// <summary>In proportion to size^(1/T): T = 1 is proportional, large T tends to uniform.</summary>
    Temperature,
}

/// <summary>Draws dataset indices with a seeded generator according to a <see cref="SamplingMode"/>.</summary>
public sealed class TaskSampler
{
    private readonly double[] _cumulative;
    private readonly Random _random;

    public TaskSampler(IReadOnlyList<int> sizes, SamplingMode mode, int seed, double temperature = 2.0)
    {
        if (sizes.Count == 0 || sizes.Any(s => s <= 0)) throw new RoadException("multi-task sampling needs datasets with at least one example each.");
        if (mode == SamplingMode.Temperature && temperature <= 0) throw new RoadException($"the sampling temperature must be positive, not {temperature}.");
        var weights = sizes.Select(s => mode switch
        {
            SamplingMode.Uniform => 1.0,
            SamplingMode.Temperature => Math.Pow(s, 1 / temperature),
            _ => (double)s,
        }).ToArray();
        double total = weights.Sum();
        Probabilities = weights.Select(w => w / total).ToArray();
        _cumulative = new double[Probabilities.Count];
        double sum = 0;
        for (int i = 0; i < _cumulative.Length; i++) _cumulative[i] = sum += Probabilities[i];
        _random = new Random(seed);
    }

    public IReadOnlyList<double> Probabilities { get; }

    public int Next()
    {
        double u = _random.NextDouble();
        for (int i = 0; i < _cumulative.Length - 1; i++)
            if (u < _cumulative[i]) return i;
        return _cumulative.Length - 1;
    }
}
