using Road.Training;

namespace Road.Pipeline;

/// <summary>How RunExperiment was asked to run: <c>--device</c>, <c>--seed</c>, <c>--output</c>, <c>--precision</c>,
/// <c>--resume</c> (continue the latest unfinished run), <c>--checkpoint-every</c> (steps between checkpoints, 0 for none)
/// <c>--strict</c> (the first fault in a data file fails the run) and the cache stages are reused from (none with
/// <c>--no-reuse</c>, and in tests unless they ask for one), the ranks of a data-parallel run (one process when null),
/// and the samples folder of a <c>--smoke</c> run (recorded in the manifest, so a stage run on its own finds them).</summary>
public sealed record RunOptions(string Device = "cpu", int? Seed = null, string Output = "runs", Precision Precision = Precision.Float32,
    bool Resume = false, int CheckpointEvery = 0, bool Strict = false, Road.Stages.StageCache? Cache = null, Road.Distributed.IProcessGroup? Group = null,
    string? Smoke = null);
