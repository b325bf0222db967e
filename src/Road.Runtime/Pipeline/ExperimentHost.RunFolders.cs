using Road.Distributed;
using Road.Reporting;
using Road.Training;

namespace Road.Pipeline;

/// <summary>The host's commands on an existing run folder and on a cluster: <c>stage</c> (one stage, what
/// <c>./build.sh RunStage</c> and each Slurm job run), <c>status</c>, and <c>run</c> or <c>stage</c> with
/// <c>--executor slurm</c> (submit the stage graph, or one stage again).</summary>
public static partial class ExperimentHost
{
    // The experiment and options a run folder was started with, for a stage run on its own; refused when the
    // declaration has changed since, which would make the stage's results belong to another experiment.
    private static (ExperimentEntry Entry, RunOptions Options, RunManifest Manifest) Reopen(IReadOnlyList<ExperimentEntry> registry, RunFolder folder, IProcessGroup group)
    {
        var manifest = RunManifest.Read(folder);
        var entry = Find(registry, manifest.RegistryName, manifest.Smoke, Path.GetDirectoryName(Path.GetDirectoryName(folder.Path))!);
        if (!System.Text.Json.Nodes.JsonNode.DeepEquals(RunDocuments.Config(entry.Spec), manifest.Config))
            throw new RoadException($"{folder.File(RunManifest.File)}: the declaration of {manifest.Experiment} has changed since this run started ($.config differs); finish it with the code it started with, or start a new run.");
        var options = new RunOptions(RankDevice(manifest.Device, group), manifest.Seed, Path.GetDirectoryName(Path.GetDirectoryName(folder.Path))!, manifest.Precision, false,
            manifest.CheckpointEvery, manifest.Strict, manifest.Reuse ? Road.Stages.StageCache.FromEnvironment() : null, group, manifest.Smoke);
        return (entry, options, manifest);
    }

    // The device a rank trains on: its own GPU where it sees several (NCCL ranks), else the run's.
    private static string RankDevice(string device, IProcessGroup? group) =>
        group is NcclProcessGroup { Device.index: > 0 } nccl ? $"cuda:{nccl.Device.index}" : device;

    private static string RunPath(Dictionary<string, string?> options, string command) =>
        options.GetValueOrDefault("run") ?? throw new RoadException($"{command} needs --run, the run folder (runs/<experiment>/<run-id>).");

    // One stage of an existing run, in this process (and its ranks): what a cluster job runs.
    private static void Stage(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options, IProcessGroup group)
    {
        string stage = options.GetValueOrDefault("stage") ?? throw new RoadException("stage needs --stage, the name of a stage of the run's plan.");
        var folder = RunFolder.Existing(RunPath(options, "stage"), group.Writes());
        var (entry, run, manifest) = Reopen(registry, folder, group);
        if (!group.Writes())
        {
            ExperimentRunner.RunStage(entry, run, folder, manifest.Seed, stage, new SilentProgress());
            return;
        }
        Road.Stages.StageResult result;
        using (var progress = new ConsoleProgress())
            result = ExperimentRunner.RunStage(entry, run, folder, manifest.Seed, stage, progress);
        Console.WriteLine($"{stage}: {RunStatus.Headline(result.Metrics)}");
        Console.WriteLine($"Wrote {folder.File("stages", stage, StageResultFile.Name)}");
        if (File.Exists(folder.File("metrics.json")) && RunManifest.Read(folder).Status == "completed")
        {
            Console.WriteLine();
            Console.Write(RunDocuments.ForConsole(File.ReadAllText(folder.File("report.md")), folder));
            Console.WriteLine($"The run's last stage: its metrics and report are written. Run folder: {folder.Path}");
        }
    }

    private static string Executor(Dictionary<string, string?> options) => options.GetValueOrDefault("executor") switch
    {
        null or "local" => "local",
        "slurm" => "slurm",
        var other => throw new RoadException($"--executor {other}: use local (this machine, the default) or slurm."),
    };

    private static StageResources Resources(Dictionary<string, string?> options) =>
        StageResources.Parse(options.GetValueOrDefault("partition"), options.GetValueOrDefault("time"), options.GetValueOrDefault("gpus-per-node"), Number(options, "ranks", 1));

    // The run's stage graph as Slurm jobs, after Preflight here; with --resume, the newest unfinished run's
    // unfinished stages (their old jobs cancelled).
    private static void Submit(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options)
    {
        var entry = Find(registry, options);
        if (Number(options, "runs", 1) != 1) throw new RoadException("--executor slurm submits one run; submit each seed with --seed.");
        int seed = Number(options, "seed", entry.Spec.Seed);
        string output = options.GetValueOrDefault("output") ?? "runs";
        RunFolder? resumed = null;
        if (options.ContainsKey("resume"))
            (resumed, seed) = RunFolder.LatestUnfinished(output, entry.Spec.Name) ?? throw new RoadException($"nothing to resume: {Path.Combine(output, entry.Spec.Name)} holds no unfinished run of {entry.Spec.Name}.");
        var run = RunOptions(options, seed);
        PreparedRun prepared;
        using (var progress = new ConsoleProgress())
        {
            Preflight.CheckInputs(entry.Spec, progress);
            prepared = Preflight.Prepare(entry, run, seed, progress);
        }
        var folder = resumed ?? RunFolder.Create(output, entry.Spec.Name, seed, DateTime.UtcNow);
        if (resumed is null) AtomicFile.WriteAllText(folder.File(RunManifest.File), RunDocuments.Manifest(entry.Spec, folder, seed, run, DateTime.UtcNow, null, "submitted", prepared.Facts));
        else SlurmExecutor.CancelUnfinished(folder);
        var plan = entry.Create(prepared.Data).CreatePlan();
        var jobs = SlurmExecutor.Submit(folder, plan, StageGraph.Of(entry.Spec, plan), Resources(options));
        foreach (var (stage, job) in jobs) Console.WriteLine($"  {stage,-32} job {job}");
        Console.WriteLine($"Submitted {jobs.Count} stages of {entry.Spec.Name} to Slurm; run folder: {folder.Path}");
        Console.WriteLine($"Follow it with: ./build.sh RunStatus --run {folder.Path}");
    }

    // One stage of a run submitted again alone (after it failed); the stages it reads must have finished.
    private static void Resubmit(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options)
    {
        string stage = options.GetValueOrDefault("stage") ?? throw new RoadException("stage needs --stage, the name of a stage of the run's plan.");
        var folder = RunFolder.Existing(RunPath(options, "stage"));
        var (entry, _, manifest) = Reopen(registry, folder, SingleProcess.Instance);
        var plan = entry.Create(new DataCatalog(entry.Spec, manifest.Seed)).CreatePlan();
        var jobs = SlurmExecutor.Submit(folder, plan, StageGraph.Of(entry.Spec, plan), Resources(options), only: stage);
        Console.WriteLine(plan.Stages.All(s => s.Spec.Name == stage || StageResultFile.Exists(folder, s.Spec.Name))
            ? $"Submitted {stage} alone: job {jobs[stage]}; as the run's last stage it writes the metrics and report."
            : $"Submitted {stage} alone: job {jobs[stage]}. Other stages have not finished: submit them with RunExperiment --executor slurm --resume.");
    }

    private static void Status(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options)
    {
        var folder = RunFolder.Existing(RunPath(options, "status"), writes: false);
        var (entry, _, manifest) = Reopen(registry, folder, SingleProcess.Instance);
        var plan = entry.Create(new DataCatalog(entry.Spec, manifest.Seed)).CreatePlan();
        Console.WriteLine($"{manifest.Experiment}, seed {manifest.Seed}: {manifest.Status} ({folder.Path})");
        Console.Write(RunStatus.ToText(RunStatus.Of(folder, plan.Stages.Select(s => s.Spec.Name).ToList())));
    }
}
