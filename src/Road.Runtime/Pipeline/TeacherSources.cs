namespace Road.Pipeline;

/// <summary>
/// Teacher encoders declared as an earlier experiment's model (<c>[TeacherEncoder(..., Experiment = "road-electra-large",
/// Stage = "Mtl")]</c>): each becomes the encoder folder that stage of the experiment's newest completed run under the
/// runs folder left (HF layout, with its tokenizer), as if its <c>Checkpoint</c> named that folder. Resolved once,
/// when an experiment is chosen, so Preflight, the stage cache and the manifest all see the folder it read.
/// </summary>
public static class TeacherSources
{
    public static ExperimentSpec Resolve(ExperimentSpec spec, string output)
    {
        if (spec.TeacherEncoders is not { } teachers || teachers.All(t => t.Experiment.Length == 0)) return spec;
        return spec with { TeacherEncoders = teachers.Select(t => t.Experiment.Length == 0 ? t : Resolve(spec.Name, t, output)).ToList() };
    }

    private static TeacherEncoderSpec Resolve(string experiment, TeacherEncoderSpec teacher, string output)
    {
        string reads = $"experiment {experiment}: teacher encoder {teacher.Name} reads stage {teacher.Stage} of the newest completed run of {teacher.Experiment}";
        var run = RunFolder.LatestCompleted(output, teacher.Experiment)
            ?? throw new RoadException($"{reads}, but {Path.GetFullPath(Path.Combine(output, teacher.Experiment))} holds no completed run; run ./build.sh RunExperiment --name {teacher.Experiment} first (with the same --output).");
        string folder = run.File("stages", teacher.Stage, "encoder");
        if (!File.Exists(Path.Combine(folder, Road.Encoders.EncoderCheckpoint.ConfigFile)))
            throw new RoadException($"{reads}: {run.Path} has no stages/{teacher.Stage}/encoder; name a stage of {teacher.Experiment} that trains an encoder.");
        return teacher with { Encoder = teacher.Encoder with { Checkpoint = Path.GetFullPath(folder), Vocabulary = "" } };
    }
}
