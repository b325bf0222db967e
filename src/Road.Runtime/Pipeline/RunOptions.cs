using Road.Training;

namespace Road.Pipeline;

/// <summary>How RunExperiment was asked to run: <c>--device</c>, <c>--seed</c>, <c>--output</c>, <c>--precision</c>.</summary>
public sealed record RunOptions(string Device = "cpu", int? Seed = null, string Output = "runs", Precision Precision = Precision.Float32);
