using Road.Training;

namespace Road.Pipeline;

/// <summary>How RunExperiment was asked to run: <c>--device</c>, <c>--seed</c>, <c>--output</c>, <c>--precision</c>,
/// <c>--resume</c> (continue the latest unfinished run), <c>--checkpoint-every</c> (steps between checkpoints, 0 for none)
/// and <c>--strict</c> (the first fault in a data file fails the run).</summary>
public sealed record RunOptions(string Device = "cpu", int? Seed = null, string Output = "runs", Precision Precision = Precision.Float32,
    bool Resume = false, int CheckpointEvery = 0, bool Strict = false);
