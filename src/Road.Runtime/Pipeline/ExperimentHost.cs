using System.Globalization;
using Road.Distributed;
using Road.Reporting;
using Road.Training;

namespace Road.Pipeline;

/// <summary>
/// The entry point of an experiment project: its <c>Main</c> hands over its arguments and the registry the generator
/// emitted, and <c>./build.sh RunExperiment --project DIR</c> runs the project's Release build with them.
/// <c>list</c> prints the experiments; <c>preflight --name N</c> checks one (<see cref="Preflight"/>); <c>run --name N [--device D] [--seed S] [--runs K] [--output DIR]
/// [--precision P] [--resume] [--checkpoint-every N] [--strict] [--no-reuse] [--smoke SAMPLES]</c> runs one (stages
/// reused from <see cref="Road.Stages.StageCache"/> unless <c>--no-reuse</c>) (<c>--smoke</c>: its
/// <see cref="SmokeSpec"/> variant over the samples folder). A mistake is one line on standard error and exit code 1.
/// Started as ranks by a launcher (<see cref="RankEnvironment"/>), <c>run</c> trains data-parallel: rank 0 shows
/// progress and writes; a rank that fails prints its error and ends every rank.
/// </summary>
public static partial class ExperimentHost
{
    private static readonly string[] Flags = ["resume", "strict", "no-reuse"];
    private static readonly string[] Valued = ["name", "device", "seed", "runs", "output", "precision", "checkpoint-every", "smoke", "run", "stage", "executor", "partition", "time", "ranks", "gpus-per-node", "elements", "steps", "warmup"];

    public static int Main(string[] args, IReadOnlyList<ExperimentEntry> registry)
    {
        try
        {
            if (args.Length == 0 || args[0] is not ("list" or "run" or "preflight" or "stage" or "status" or "benchmark-allreduce"))
                throw new RoadException("usage: list | preflight --name N [--smoke SAMPLES] | run --name N [--device cpu|cuda] [--seed S] [--runs K] [--output DIR] [--precision fp32|bf16] [--resume] [--checkpoint-every N] [--strict] [--no-reuse] [--smoke SAMPLES] [--executor local|slurm [--partition P] [--time T] [--gpus-per-node G] [--ranks N]] (P, T, G: a value, and kind=value for teacher, mtl, finetune, evaluate) | stage --run DIR --stage NAME [--executor slurm ...] | status --run DIR | benchmark-allreduce [--elements N] [--steps K] [--warmup W] [--device D] [--output DIR]");
            if (args[0] == "list")
            {
                foreach (var entry in registry)
                    Console.WriteLine($"{entry.Spec.Name,-24} {entry.Spec.Stages.Count} stages  {entry.Spec.Description}");
                return 0;
            }
            var options = Options(args[1..]);
            switch (args[0])
            {
                case "preflight":
                    Check(registry, options);
                    break;
                case "status":
                    Status(registry, options);
                    break;
                case "run" when Executor(options) == "slurm":
                    Submit(registry, options);
                    break;
                case "stage" when Executor(options) == "slurm":
                    Resubmit(registry, options);
                    break;
                default:
                    RunRanks(registry, options, args[0]);
                    break;
            }
            return 0;
        }
        catch (RoadException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (TrainingStopped e)
        {
            if (!e.Quiet) Console.Error.WriteLine($"stopped: {e.Message}");
            return StoppedExitCode;
        }
    }

    /// <summary>The exit code of a run that a signal stopped after its checkpoint (EX_TEMPFAIL: try again, with
    /// --resume).</summary>
    public const int StoppedExitCode = 75;

    private static Dictionary<string, string?> Options(string[] args)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new RoadException($"unexpected argument \"{args[i]}\".");
            if (Flags.Contains(name)) options[name] = null;
            else if (Valued.Contains(name) && i + 1 < args.Length) options[name] = args[++i];
            else throw new RoadException(Valued.Contains(name) ? $"--{name} needs a value." : $"unknown option --{name}.");
        }
        return options;
    }

    private static int Number(Dictionary<string, string?> options, string name, int fallback) =>
        !options.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
        : throw new RoadException($"--{name} expects an integer, got \"{text}\".");

    private static ExperimentEntry Find(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options) =>
        Find(registry, options.GetValueOrDefault("name") ?? throw new RoadException("run and preflight need --name."), options.GetValueOrDefault("smoke"),
            options.GetValueOrDefault("output") ?? "runs");

    // The experiment as it runs: its smoke variant when asked, with teacher encoders of earlier runs resolved.
    private static ExperimentEntry Find(IReadOnlyList<ExperimentEntry> registry, string name, string? smoke, string output)
    {
        var entry = registry.FirstOrDefault(e => e.Spec.Name == name)
            ?? throw new RoadException($"unknown experiment \"{name}\"; known experiments: {string.Join(", ", registry.Select(e => e.Spec.Name))}.");
        var spec = smoke is not null ? SmokeSpec.Of(entry.Spec, smoke) : entry.Spec;
        return entry with { Spec = TeacherSources.Resolve(spec, output) };
    }

    private static RunOptions RunOptions(Dictionary<string, string?> options, int seed, IProcessGroup? group = null) =>
        new(RankDevice(options.GetValueOrDefault("device") ?? "cpu", group), seed, options.GetValueOrDefault("output") ?? "runs", PrecisionExtensions.Parse(options.GetValueOrDefault("precision") ?? "fp32"),
            options.ContainsKey("resume"), Number(options, "checkpoint-every", 200), options.ContainsKey("strict"),
            options.ContainsKey("no-reuse") ? null : Road.Stages.StageCache.FromEnvironment(), group, options.GetValueOrDefault("smoke"));

    // A run or a stage, as one process or this rank of a data-parallel run; a rank's error ends the others, which
    // may be waiting on it.
    private static void RunRanks(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options, string command)
    {
        var environment = RankEnvironment.FromEnvironment();
        string device = command == "stage" ? RunManifest.Read(RunFolder.Existing(RunPath(options, "stage"), writes: false)).Device : options.GetValueOrDefault("device") ?? "cpu";
        using var group = ProcessGroups.Open(environment, device);
        StopSignal.Install();
        Action work = command switch
        {
            "stage" => () => Stage(registry, options, group),
            "benchmark-allreduce" => () => BenchmarkAllReduce(options, group),
            _ => () => Run(registry, options, group),
        };
        if (group.Size == 1)
        {
            work();
            return;
        }
        // Ranks on one machine's CPU share its cores instead of each taking all of them.
        if (device == "cpu") TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / environment.LocalSize));
        try
        {
            work();
        }
        catch (Exception e) when (e is not TrainingStopped)
        {
            // Any failure, not only Road's own: a rank that died some other way would leave the others spinning in
            // their next collective.
            string message = e is RoadException ? e.Message : e.ToString();
            Console.Error.WriteLine(group.Rank == 0 ? $"error: {message}" : $"error (rank {group.Rank}): {message}");
            Console.Error.Flush();
            group.Abort();
        }
    }

    // The all-reduce of a data-parallel step, timed through this run's process group; rank 0 writes the figures.
    private static void BenchmarkAllReduce(Dictionary<string, string?> options, IProcessGroup group)
    {
        if (group is SingleProcess)
            throw new RoadException("the all-reduce benchmark times ranks: start them with --nproc N (CPU, Open MPI) or --gpus N --device cuda (NCCL; one GPU is enough to time it).");
        Road.Native.TorchDevice.Initialize(RankDevice(options.GetValueOrDefault("device") ?? "cpu", group));
        long elements = options.ContainsKey("elements") ? Number(options, "elements", 0)
            : Road.Benchmarks.AllReduceBenchmark.Parameters(Road.Benchmarks.EncoderBenchmark.Preset("large"));
        if (elements < 1) throw new RoadException($"--elements must be 1 or more, not {elements}.");
        var result = Road.Benchmarks.AllReduceBenchmark.Run(group, elements, Number(options, "warmup", 3), Number(options, "steps", 20));
        if (!group.Writes()) return;
        Console.WriteLine(FormattableString.Invariant($"{result.Backend}, {result.Ranks} ranks on {result.Device}: all-reduce of {result.Bytes / 1e9:0.00} GB in {result.MillisecondsPerAllReduce:0.0} ms, algorithm bandwidth {result.AlgorithmGigabytesPerSecond:0.0} GB/s, bus bandwidth {result.BusGigabytesPerSecond:0.0} GB/s"));
        string file = Path.Combine(options.GetValueOrDefault("output") ?? "runs", "benchmarks", $"allreduce-{result.Backend.Replace(' ', '-').ToLowerInvariant()}-{result.Ranks}.json");
        AtomicFile.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(result, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"Wrote {file}");
    }

    // Preflight alone: inputs, data, stages and estimates; nothing is trained or written.
    private static void Check(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options)
    {
        var entry = Find(registry, options);
        int seed = Number(options, "seed", entry.Spec.Seed);
        using var progress = new ConsoleProgress();
        Preflight.Run(entry, RunOptions(options, seed), seed, progress);
        Console.WriteLine($"{entry.Spec.Name}: ready to run.");
    }

    private static void Run(IReadOnlyList<ExperimentEntry> registry, Dictionary<string, string?> options, IProcessGroup group)
    {
        var entry = Find(registry, options);
        int runs = Number(options, "runs", entry.Spec.Runs);
        bool resume = options.ContainsKey("resume");
        if (runs < 1) throw new RoadException($"--runs must be 1 or more, not {runs}.");
        if (resume && runs > 1) throw new RoadException("--resume continues one run; leave --runs out.");
        int first = Number(options, "seed", entry.Spec.Seed);
        string output = options.GetValueOrDefault("output") ?? "runs";
        var folders = new List<RunFolder>();
        for (int k = 0; k < runs; k++)
        {
            var run = RunOptions(options, first + k, group);
            RunOutcome outcome;
            if (!group.Writes())
            {
                ExperimentRunner.Run(entry, run, new SilentProgress());
                continue;
            }
            using (var progress = new ConsoleProgress())
                outcome = ExperimentRunner.Run(entry, run, progress);
            if (group.Size > 1) Console.WriteLine($"Trained on {group.Size} ranks ({group.Backend}).");
            Console.WriteLine();
            Console.Write(RunDocuments.ForConsole(File.ReadAllText(outcome.Folder.File("report.md")), outcome.Folder));
            Console.WriteLine();
            Console.WriteLine($"Run folder: {outcome.Folder.Path}");
            Console.WriteLine($"TensorBoard: tensorboard --logdir {outcome.Folder.File(TensorBoardProgress.Folder)}");
            folders.Add(outcome.Folder);
        }
        if (runs == 1 || !group.Writes()) return;
        var spreads = RunsSummary.Of(folders.Select(f => File.ReadAllText(f.File("metrics.json"))).ToList());
        string summary = Path.Combine(output, entry.Spec.Name, $"runs-{folders[0].RunId}.json");
        AtomicFile.WriteAllText(summary, RunsSummary.Json(entry.Spec.Name, Enumerable.Range(first, runs).ToList(), spreads));
        string table = RunsSummary.PaperLayout(entry.Spec, spreads) is { Length: > 0 } paper ? paper + "\n" + RunsSummary.Table(spreads) : RunsSummary.Table(spreads);
        var plot = RunPlots.WriteSpread(entry.Spec, spreads, Path.ChangeExtension(summary, ".png"), Path.GetFileName(Path.ChangeExtension(summary, ".png")));
        string embedded = plot is null ? "" : $"\n![{plot.Title}]({plot.Path})\n";
        AtomicFile.WriteAllText(Path.ChangeExtension(summary, ".md"), $"# {entry.Spec.Name}: mean ± standard deviation over {runs} runs (seeds {first}-{first + runs - 1})\n\n{table}{embedded}");
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine($"Summary of {runs} runs: {summary} and {Path.ChangeExtension(summary, ".md")}");
    }
}
