using Road.Distributed;
using Road.Native;
using Road.Reporting;
using Road.Stages;
using Road.Training;

namespace Road.Pipeline;

/// <summary>The outcome of RunExperiment: where the run was written and what each stage measured.</summary>
public sealed record RunOutcome(RunFolder Folder, IReadOnlyList<StageResult> Results);

/// <summary>
/// Runs one experiment end to end: its <see cref="Preflight"/> (inputs checked, data read, stages estimated), then a
/// run folder, the generated stage plan, metrics and report. The manifest says "running" until the end, and metrics.json and report.md appear only
/// when every stage has finished, so an interrupted run never looks complete. With <c>--resume</c>, the newest
/// unfinished run continues: finished stages are taken from their result files, the interrupted one from its last
/// checkpoint. In a data-parallel run every rank runs this with the same seed, and rank 0 alone writes.
/// </summary>
public static class ExperimentRunner
{
    public static RunOutcome Run(ExperimentEntry entry, RunOptions options, ITrainingProgress progress)
    {
        var spec = entry.Spec;
        int seed = options.Seed ?? spec.Seed;
        Preflight.CheckInputs(spec, progress);
        var device = TorchDevice.Initialize(options.Device);
        RunFolder? resumed = null;
        if (options.Resume)
        {
            (resumed, seed) = RunFolder.LatestUnfinished(options.Output, spec.Name)
                ?? throw new RoadException($"nothing to resume: {Path.Combine(options.Output, spec.Name)} holds no unfinished run of {spec.Name}.");
        }
        // Inputs are read and counted before a run folder exists: the checkpoint (every tensor), then every dataset.
        var (data, features, initial, facts, _) = Preflight.Prepare(entry, options, seed, progress);

        var started = DateTime.UtcNow;
        var group = options.Group ?? SingleProcess.Instance;
        var folder = RunFolder.Shared(group, () => resumed ?? RunFolder.Create(options.Output, spec.Name, seed, started));
        if (folder.Writes) AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, null, "running", facts));
        var experiment = entry.Create(data);
        var context = new StageContext(spec, data, features, initial, device, progress, folder, seed, options.Precision, options.CheckpointEvery, options.Teachers, group);
        var results = new List<StageResult>();
        var plan = experiment.CreatePlan();
        for (int i = 0; i < plan.Stages.Count; i++)
        {
            context.BeginStage(i, plan.Stages[i].Spec.Name);
            string resultFile = folder.File("stages", plan.Stages[i].Spec.Name, "result.json");
            StageResult result;
            if (options.Resume && File.Exists(resultFile))
            {
                result = StageResultFile.Read(resultFile);
                context.Restore(result);
            }
            else
            {
                result = plan.Stages[i].Run(context);
                if (folder.Writes) StageResultFile.Write(resultFile, result);
            }
            results.Add(result);
        }
        if (!folder.Writes) return new RunOutcome(folder, results);
        AtomicFile.WriteAllText(folder.File("metrics.json"), RunDocuments.Metrics(spec, seed, results));
        AtomicFile.WriteAllText(folder.File("report.md"), RunDocuments.Report(spec, folder, seed, options.Device, results));
        AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, DateTime.UtcNow, "completed", facts));
        return new RunOutcome(folder, results);
    }
}
