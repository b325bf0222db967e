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
/// checkpoint. <see cref="RunStage"/> runs one stage of an existing run folder in its own process (what a cluster
/// job runs) through the same <see cref="Stage"/> step; the stage that finishes last writes the metrics and report.
/// With a <see cref="StageCache"/>, a stage stored earlier under the same <see cref="StageKeys"/> key is copied in
/// and taken back instead of trained. In a data-parallel run every rank runs this with the same seed, and rank 0
/// alone writes.
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
        var prepared = Preflight.Prepare(entry, options, seed, progress);

        var started = DateTime.UtcNow;
        var group = options.Group ?? SingleProcess.Instance;
        var folder = RunFolder.Shared(group, () => resumed ?? RunFolder.Create(options.Output, spec.Name, seed, started));
        if (folder.Writes) AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, null, "running", prepared.Facts));
        var run = Open(entry, options, seed, folder, device, prepared, progress);
        var results = new List<StageResult>();
        for (int i = 0; i < run.Plan.Stages.Count; i++)
            results.Add(options.Resume && StageResultFile.Exists(folder, run.Plan.Stages[i].Spec.Name) ? Restore(run.Context, run.Plan, i) : Stage(run, i));
        if (!folder.Writes) return new RunOutcome(folder, results);
        WriteDocuments(spec, options.Device, seed, folder, results);
        AtomicFile.WriteAllText(folder.File("manifest.json"), RunDocuments.Manifest(spec, folder, seed, options, started, DateTime.UtcNow, "completed", prepared.Facts));
        return new RunOutcome(folder, results);
    }

    /// <summary>Runs one stage of an existing run folder, after taking back what the stages it reads left there;
    /// the other stages are neither run nor read. When no stage is left unfinished, writes the run's metrics and
    /// report and marks it completed (stages finishing together on a cluster may both write them: the same bytes).</summary>
    public static StageResult RunStage(ExperimentEntry entry, RunOptions options, RunFolder folder, int seed, string stage, ITrainingProgress progress)
    {
        Preflight.CheckInputs(entry.Spec, progress);
        var device = TorchDevice.Initialize(options.Device);
        var run = Open(entry, options, seed, folder, device, Preflight.Prepare(entry, options, seed, progress), progress);
        var (context, plan, graph) = (run.Context, run.Plan, run.Graph);
        int index = Index(plan, stage);
        if (StageResultFile.Exists(folder, stage))
            throw new RoadException($"stage {stage} of {folder.Path} has finished (stages/{stage}/result.json); delete that stage folder to run it again.");
        foreach (string upstream in graph.Closure(stage))
        {
            if (!StageResultFile.Exists(folder, upstream))
                throw new RoadException($"stage {stage} reads stage {upstream}, which has not finished in {folder.Path} (no stages/{upstream}/result.json); run {upstream} first.");
            Restore(context, plan, Index(plan, upstream));
        }
        var result = Stage(run, index);
        if (folder.Writes && plan.Stages.All(s => StageResultFile.Exists(folder, s.Spec.Name)))
        {
            WriteDocuments(entry.Spec, options.Device, seed, folder, plan.Stages.Select(s => StageResultFile.Read(folder.File("stages", s.Spec.Name, StageResultFile.Name))).ToList());
            RunManifest.SetStatus(folder, "completed");
        }
        return result;
    }

    // A run opened for its stages: the context they share, the plan and its graph, and each stage's cache key.
    private sealed record OpenRun(StageContext Context, StagePlan Plan, StageGraph Graph, StageCache? Cache, IReadOnlyDictionary<string, string>? Keys);

    private static OpenRun Open(ExperimentEntry entry, RunOptions options, int seed, RunFolder folder, TorchSharp.torch.Device device,
        PreparedRun prepared, ITrainingProgress progress)
    {
        var plan = entry.Create(prepared.Data).CreatePlan();
        var graph = StageGraph.Of(entry.Spec, plan);
        if (folder.Writes) progress = new TensorBoardProgress(progress, folder.File(TensorBoardProgress.Folder));
        var context = new StageContext(entry.Spec, prepared.Data, prepared.Features, prepared.Initial, device, progress, folder, seed, options.Precision,
            options.CheckpointEvery, options.Group, prepared.Teachers);
        var keys = options.Cache is null ? null
            : StageKeys.Of(entry.Spec, plan, graph, prepared.Initial, prepared.Teachers, prepared.Data, seed, options.Device, options.Precision, context.Group.Size);
        return new OpenRun(context, plan, graph, options.Cache, keys);
    }

    // One stage, the same for the local executor and a stage in its own process: seeded, then taken from the stage
    // cache or run (and stored there), its result written.
    private static StageResult Stage(OpenRun run, int index)
    {
        var (context, plan) = (run.Context, run.Plan);
        var spec = plan.Stages[index].Spec;
        var folder = context.Folder;
        string resultFile = folder.File("stages", spec.Name, StageResultFile.Name);
        context.BeginStage(index, spec.Name);
        string? key = run.Keys?[spec.Name];
        string? targets = TeacherStage.IsTeacher(spec.Name) ? TeacherStage.TargetsFile(folder, spec.Name) : null;
        if (key is not null && Reused(run.Cache!, key, folder, spec, targets, resultFile, context.Group))
        {
            var restored = StageResultFile.Read(resultFile);
            context.Restore(restored);
            context.Progress.Note($"  {spec.Name}: reused from the stage cache ({key[..12]})");
            return restored;
        }
        var result = plan.Stages[index].Run(context);
        if (!folder.Writes) return result;
        context.Progress.Evaluated(spec.Name, result.Training.Steps, result.Metrics);
        StageResultFile.Write(resultFile, result);
        if (key is not null) run.Cache!.Store(key, folder, spec.Name, targets);
        return result;
    }

    // Rank 0 copies a stored stage in (its result renamed as this plan names the stage) and tells the other ranks,
    // which read the copied files once it has.
    private static bool Reused(StageCache cache, string key, RunFolder folder, StageSpec spec, string? targets, string resultFile, IProcessGroup group)
    {
        bool reused = folder.Writes && cache.TryRestore(key, folder, spec.Name, targets);
        if (reused) StageResultFile.Write(resultFile, StageResultFile.Read(resultFile) with { Stage = spec.Name, Row = spec.Row });
        return group.Sum(reused ? 1 : 0)[0] > 0;
    }

    // A stage that finished earlier: its result and what it left (encoder, head, soft targets) taken back.
    private static StageResult Restore(StageContext context, StagePlan plan, int index)
    {
        string name = plan.Stages[index].Spec.Name;
        context.BeginStage(index, name);
        var result = StageResultFile.Read(context.Folder.File("stages", name, StageResultFile.Name));
        context.Restore(result);
        return result;
    }

    private static int Index(StagePlan plan, string stage)
    {
        for (int i = 0; i < plan.Stages.Count; i++)
            if (plan.Stages[i].Spec.Name == stage) return i;
        throw new RoadException($"the plan has no stage named {stage}; its stages: {string.Join(", ", plan.Stages.Select(s => s.Spec.Name))}.");
    }

    private static void WriteDocuments(ExperimentSpec spec, string device, int seed, RunFolder folder, IReadOnlyList<StageResult> results)
    {
        AtomicFile.WriteAllText(folder.File("metrics.json"), RunDocuments.Metrics(spec, seed, results));
        string report = RunDocuments.Report(spec, folder, seed, device, results, RunPlots.Write(spec, folder, results));
        AtomicFile.WriteAllText(folder.File("report.md"), report);
        AtomicFile.WriteAllText(folder.File(ReportPage.File), ReportPage.Render(report, folder.Path, $"{spec.Name}: {folder.RunId}"));
    }
}
