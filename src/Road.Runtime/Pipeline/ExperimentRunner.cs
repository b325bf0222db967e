using Road.Native;
using Road.Reporting;
using Road.Training;

namespace Road.Pipeline;

/// <summary>The outcome of RunExperiment: where the run was written and what each stage measured.</summary>
public sealed record RunOutcome(RunFolder Folder, IReadOnlyList<StageResult> Results);

/// <summary>
/// Runs one experiment end to end: validates its inputs, opens a run folder, runs the generated stage plan, and
/// writes metrics and report. The manifest says "running" until the end, and metrics.json and report.md appear only
/// when every stage has finished, so an interrupted run never looks complete.
/// </summary>
public static class ExperimentRunner
{
    public static RunOutcome Run(ExperimentEntry entry, RunOptions options, ITrainingProgress progress)
    {
        var spec = entry.Spec;
        int seed = options.Seed ?? spec.Seed;
        DataCatalog.Validate(spec);
        var device = TorchDevice.Initialize(options.Device);
        var started = DateTime.UtcNow;
        var folder = RunFolder.Create(options.Output, spec.Name, seed, started);
        AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, null, "running"));

        var data = new DataCatalog(spec, seed);
        var experiment = entry.Create(data);
        var runner = new StageRunner(spec, data, device, seed, progress, folder, options.Precision);
        var results = new List<StageResult>();
        var plan = experiment.CreatePlan();
        for (int i = 0; i < plan.Stages.Count; i++)
        {
            runner.BeginStage(i);
            runner.Name(plan.Stages[i].Spec.Name);
            var result = plan.Stages[i].Run(runner);
            AtomicFile.WriteAllText(folder.File("stages", result.Stage, "result.json"), RunDocuments.Metrics(spec, seed, [result]));
            results.Add(result);
        }
        AtomicFile.WriteAllText(folder.File("metrics.json"), RunDocuments.Metrics(spec, seed, results));
        AtomicFile.WriteAllText(folder.File("report.md"), RunDocuments.Report(spec, folder, seed, options.Device, results));
        AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, DateTime.UtcNow, "completed"));
        return new RunOutcome(folder, results);
    }
}
