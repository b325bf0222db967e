using Road.Native;
using Road.Reporting;
using Road.Stages;
using Road.Training;

namespace Road.Pipeline;

/// <summary>The outcome of RunExperiment: where the run was written and what each stage measured.</summary>
public sealed record RunOutcome(RunFolder Folder, IReadOnlyList<StageResult> Results);

/// <summary>
/// Runs one experiment end to end: validates its inputs, opens a run folder, runs the generated stage plan, and
/// writes metrics and report. The manifest says "running" until the end, and metrics.json and report.md appear only
/// when every stage has finished, so an interrupted run never looks complete. With <c>--resume</c>, the newest
/// unfinished run continues: finished stages are taken from their result files, the interrupted one from its last
/// checkpoint.
/// </summary>
public static class ExperimentRunner
{
    public static RunOutcome Run(ExperimentEntry entry, RunOptions options, ITrainingProgress progress)
    {
        var spec = entry.Spec;
        int seed = options.Seed ?? spec.Seed;
        DataCatalog.Validate(spec);
        var device = TorchDevice.Initialize(options.Device);
        RunFolder? resumed = null;
        if (options.Resume)
        {
            (resumed, seed) = RunFolder.LatestUnfinished(options.Output, spec.Name)
                ?? throw new RoadException($"nothing to resume: {Path.Combine(options.Output, spec.Name)} holds no unfinished run of {spec.Name}.");
        }
        // Inputs are read and checked before a run folder exists: the checkpoint (every tensor), then every dataset.
        var data = new DataCatalog(spec, seed) { Strict = options.Strict };
        var facts = new RunFacts();
        var initial = new InitialEncoder(spec, data.Tokenizer);
        if (initial.Folder is { } checkpoint)
        {
            facts.Checkpoint(checkpoint, initial.Ignored);
            progress.Note($"Checkpoint {checkpoint}");
            foreach (var line in initial.DescribeIgnored()) progress.Note("  " + line);
        }
        var features = new FeatureStore(data);
        PrepareData(spec, data, features, facts, progress);

        var started = DateTime.UtcNow;
        var folder = resumed ?? RunFolder.Create(options.Output, spec.Name, seed, started);
        AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, null, "running", facts));
        var experiment = entry.Create(data);
        var context = new StageContext(spec, data, features, initial, device, progress, folder, seed, options.Precision, options.CheckpointEvery);
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
                StageResultFile.Write(resultFile, result);
            }
            results.Add(result);
        }
        AtomicFile.WriteAllText(folder.File("metrics.json"), RunDocuments.Metrics(spec, seed, results));
        AtomicFile.WriteAllText(folder.File("report.md"), RunDocuments.Report(spec, folder, seed, options.Device, results));
        AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, DateTime.UtcNow, "completed", facts));
        return new RunOutcome(folder, results);
    }

    // Reads every dataset and builds its features (or takes them from the cache), and says per split what was read,
    // skipped and built.
    private static void PrepareData(ExperimentSpec spec, DataCatalog data, FeatureStore features, RunFacts facts, ITrainingProgress progress)
    {
        progress.Note("Data");
        foreach (var task in spec.Tasks)
        {
            var bound = data.Bind(task);
            foreach (string split in new[] { "train", "dev" })
            {
                if (data.Report(task, split) is not { } report) continue;
                int count = features.Count(bound, split);
                facts.Dataset(task.Name, split, report.ToJson(count));
                progress.Note("  " + report.Describe(task.Name, split, count, bound.Mrc is not null ? "windows" : "features"));
            }
        }
    }
}
