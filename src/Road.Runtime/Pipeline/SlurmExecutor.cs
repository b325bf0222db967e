using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Road.Stages;

namespace Road.Pipeline;

/// <summary>What one stage job asks Slurm for: <c>--partition</c>, <c>--time</c>, <c>--gpus-per-node</c> (one rank
/// per GPU, joined by NCCL), and otherwise the CPU ranks of a data-parallel stage (started in the job by Open MPI's
/// mpirun).</summary>
public sealed record SlurmResources(string? Partition = null, string? Time = null, int Ranks = 1, int GpusPerNode = 0);

/// <summary>
/// The resources of each kind of stage job: teachers, multi-task pretraining (<c>mtl</c>), finetuning and
/// evaluation differ by hours and GPUs. Each of <c>--partition</c>, <c>--time</c> and <c>--gpus-per-node</c> is one
/// value for every job or <c>kind=value</c> pairs after an optional value for the other kinds, as in
/// <c>--time 2:00:00,mtl=24:00:00 --gpus-per-node 1,mtl=8</c>.
/// </summary>
public sealed class StageResources
{
    public static readonly IReadOnlyList<string> KindNames = ["teacher", "mtl", "finetune", "evaluate"];

    private readonly Dictionary<string, SlurmResources> _kinds;

    private StageResources(Dictionary<string, SlurmResources> kinds) => _kinds = kinds;

    /// <summary>The resources the options give each kind; <paramref name="ranks"/> (CPU ranks) holds for all.</summary>
    public static StageResources Parse(string? partition, string? time, string? gpusPerNode, int ranks)
    {
        var partitions = PerKind("partition", partition, list: true);
        var times = PerKind("time", time, list: false);
        var gpus = PerKind("gpus-per-node", gpusPerNode, list: false);
        return new(KindNames.ToDictionary(k => k, k => new SlurmResources(partitions[k], times[k], ranks, Gpus(gpus[k], gpusPerNode!))));
    }

    /// <summary>What the job of <paramref name="stage"/> asks for.</summary>
    public SlurmResources For(StageSpec stage) => _kinds[KindOf(stage)];

    public static string KindOf(StageSpec stage) => Road.Stages.TeacherStage.IsTeacher(stage.Name) ? "teacher" : stage.Kind switch
    {
        StageKind.MultiTask => "mtl",
        StageKind.Evaluate => "evaluate",
        _ => "finetune",
    };

    // One option's value per kind: kind=value items, and the other items (a partition list may have several) for
    // the kinds not named.
    private static Dictionary<string, string?> PerKind(string option, string? text, bool list)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        foreach (string item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                rest.Add(item);
                continue;
            }
            string kind = item[..equals], value = item[(equals + 1)..];
            if (!KindNames.Contains(kind)) throw new RoadException($"--{option} {text}: {kind} is not a kind of stage; the kinds are {string.Join(", ", KindNames)}, as in --{option} VALUE,mtl=VALUE.");
            if (value.Length == 0) throw new RoadException($"--{option} {text}: {kind}= needs a value.");
            if (!named.TryAdd(kind, value)) throw new RoadException($"--{option} {text}: {kind} is given twice.");
        }
        if (!list && rest.Count > 1) throw new RoadException($"--{option} {text}: one value for the kinds not named, not {rest.Count}.");
        string? others = rest.Count > 0 ? string.Join(',', rest) : null;
        return KindNames.ToDictionary(k => k, k => named.TryGetValue(k, out var value) ? value : others);
    }

    private static int Gpus(string? text, string option) =>
        text is null ? 0
        : int.TryParse(text, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out int gpus) ? gpus
        : throw new RoadException($"--gpus-per-node {option}: {text} is not a number of GPUs.");
}

/// <summary>
/// <c>--executor slurm</c>: the stage graph as Slurm jobs. Each stage is a batch job that runs the experiment host's
/// <c>stage --run DIR --stage NAME</c> (the entry <c>./build.sh RunStage</c> runs) in the run folder, which must be
/// on storage every node sees; a job starts after the jobs of the stages it reads (<see cref="StageGraph"/>) succeed
/// (<c>afterok</c>; a failure ends the jobs waiting on it), and the teachers of one dataset are one array job; the
/// stage that finishes last writes the metrics and report. Job ids go to <c>slurm.json</c> in the run folder, which
/// <see cref="RunStatus"/> reads. Stages that have finished are not submitted, so submitting an unfinished run again
/// continues it.
/// </summary>
public static class SlurmExecutor
{
    public const string JobsFile = "slurm.json";

    /// <summary>Submits every unfinished stage of the run (or only <paramref name="only"/>, whose upstream stages must
    /// have finished); returns the job of each submitted stage.</summary>
    public static IReadOnlyDictionary<string, string> Submit(RunFolder folder, StagePlan plan, StageGraph graph, StageResources resources, string? only = null)
    {
        var finished = plan.Stages.Select(s => s.Spec.Name).Where(s => StageResultFile.Exists(folder, s)).ToHashSet(StringComparer.Ordinal);
        var wanted = plan.Stages.Select(s => s.Spec.Name).Where(s => !finished.Contains(s) && (only is null || s == only)).ToList();
        if (only is not null)
        {
            if (!graph.Order.Contains(only)) throw new RoadException($"the plan has no stage named {only}; its stages: {string.Join(", ", graph.Order)}.");
            if (finished.Contains(only)) throw new RoadException($"stage {only} of {folder.Path} has finished; delete stages/{only} to run it again.");
            var waiting = graph.Closure(only).Where(s => !finished.Contains(s)).ToList();
            if (waiting.Count > 0) throw new RoadException($"stage {only} reads {string.Join(", ", waiting)}, which have not finished; submit the run's unfinished stages with RunExperiment --executor slurm --resume.");
        }
        var specs = plan.Stages.ToDictionary(s => s.Spec.Name, s => s.Spec, StringComparer.Ordinal);
        var record = JobRecord.Read(folder);
        var submitted = new Dictionary<string, string>(StringComparer.Ordinal);
        Directory.CreateDirectory(folder.File("slurm"));
        foreach (var job in Jobs(wanted))
        {
            var after = job.Stages.SelectMany(graph.Upstream).Where(s => !finished.Contains(s)).Select(s => submitted[s]).Distinct().ToList();
            string id = Sbatch(folder, job, resources.For(specs[job.Stages[0]]), after);
            foreach (var (stage, index) in job.Stages.Zip(job.Indices)) submitted[stage] = index is null ? id : $"{id}_{index}";
        }
        foreach (var (stage, id) in submitted) record.Stages[stage] = id;
        record.Write(folder);
        return submitted;
    }

    /// <summary>Cancels the jobs of the run's stages that have not finished (pending ones wait on a stage that will
    /// be submitted again).</summary>
    public static void CancelUnfinished(RunFolder folder)
    {
        var record = JobRecord.Read(folder);
        var jobs = record.Stages.Where(kv => !StageResultFile.Exists(folder, kv.Key)).Select(kv => kv.Value).ToList();
        if (jobs.Count > 0) Slurm.Run("scancel", jobs);
    }

    // One job per stage, except that consecutive teachers of one dataset share an array job.
    private static IEnumerable<Job> Jobs(IReadOnlyList<string> stages)
    {
        for (int i = 0; i < stages.Count;)
        {
            if (TeacherStage.IsTeacher(stages[i]))
            {
                string prefix = stages[i][..(stages[i].LastIndexOf('-') + 1)];
                var group = stages.Skip(i).TakeWhile(s => s.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(s[prefix.Length..], out _)).ToList();
                yield return new Job(prefix + "${SLURM_ARRAY_TASK_ID}", prefix + "array", group,
                    group.Select(s => (int?)int.Parse(s[prefix.Length..], CultureInfo.InvariantCulture)).ToList(), string.Join(",", group.Select(s => s[prefix.Length..])));
                i += group.Count;
                continue;
            }
            yield return new Job(stages[i], stages[i], [stages[i]], [null], null);
            i++;
        }
    }

    // A batch job: the stage it runs (an array job's names SLURM_ARRAY_TASK_ID), its script and log name, the stages
    // it covers with each one's array index (null for a plain job), and the --array list.
    private sealed record Job(string Stage, string Name, IReadOnlyList<string> Stages, IReadOnlyList<int?> Indices, string? Array);

    private static string Whole(string id) => id.Split('_')[0];

    private static string Sbatch(RunFolder folder, Job job, SlurmResources resources, IReadOnlyList<string> after)
    {
        string script = folder.File("slurm", job.Name + ".sh");
        File.WriteAllText(script, Script(folder, job, resources));
        // Slurm signals the job two minutes before its time limit: the step then in progress ends with a checkpoint.
        var arguments = new List<string> { "--parsable", "--job-name", $"road-{job.Name}", "--output", folder.File("slurm", job.Name + (job.Array is null ? "-%j.out" : "-%A_%a.out")), "--signal", "B:USR1@120" };
        if (resources.Partition is { } partition) arguments.AddRange(["--partition", partition]);
        if (resources.Time is { } time) arguments.AddRange(["--time", time]);
        if (resources.GpusPerNode > 0)
            arguments.AddRange(["--nodes", "1", "--ntasks-per-node", resources.GpusPerNode.ToString(CultureInfo.InvariantCulture),
                "--gpus-per-node", resources.GpusPerNode.ToString(CultureInfo.InvariantCulture)]);
        else if (resources.Ranks > 1) arguments.AddRange(["--ntasks", resources.Ranks.ToString(CultureInfo.InvariantCulture)]);
        if (job.Array is { } array) arguments.AddRange(["--array", array]);
        if (after.Count > 0) arguments.AddRange(["--dependency", "afterok:" + string.Join(":", after.Select(Whole).Distinct()), "--kill-on-invalid-dep=yes"]);
        arguments.Add(script);
        // sbatch --parsable prints "id" or "id;cluster".
        return Slurm.Run("sbatch", arguments).Trim().Split(';')[0];
    }

    private static string Script(RunFolder folder, Job job, SlurmResources resources)
    {
        var command = new List<string>();
        // GPU ranks are Slurm's tasks (srun sets SLURM_PROCID and binds a GPU to each); CPU ranks are Open MPI's.
        if (resources.GpusPerNode > 0) command.AddRange(["srun", "--kill-on-bad-exit=1", "--gpu-bind=single:1"]);
        else if (resources.Ranks > 1) command.AddRange(["mpirun", "-np", resources.Ranks.ToString(CultureInfo.InvariantCulture), "--bind-to", "none", "--quiet"]);
        command.AddRange(HostCommand().Select(Quote));
        command.AddRange(["stage", "--run", Quote(folder.Path), "--stage", $"\"{job.Stage}\""]);
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"# Stage {job.Stage} of the run {folder.Path}, submitted by Road's Slurm executor.\n");
        text.Append("set -euo pipefail\n");
        if (resources.GpusPerNode > 0) text.Append("export MASTER_ADDR=\"$(hostname)\" MASTER_PORT=$((20000 + SLURM_JOB_ID % 20000))\n");
        text.Append(CultureInfo.InvariantCulture, $"cd {Quote(Directory.GetCurrentDirectory())}\n");
        if (resources.Ranks > 1 && Environment.UserName == "root") text.Append("export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1\n");
        text.Append("exec ").Append(string.Join(' ', command)).Append('\n');
        return text.ToString();
    }

    // This experiment host as it was started: dotnet and the project's assembly, or its own executable.
    private static IReadOnlyList<string> HostCommand()
    {
        string process = Environment.ProcessPath ?? throw new RoadException("cannot tell which program this is, to name it in the job scripts.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new RoadException("cannot tell which experiment project this is, to name it in the job scripts.")]
            : [process];
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary><c>slurm.json</c>: each stage's job (<c>id</c>, or <c>id_index</c> in an array).</summary>
    public sealed class JobRecord
    {
        public Dictionary<string, string> Stages { get; set; } = new(StringComparer.Ordinal);

        public static JobRecord Read(RunFolder folder)
        {
            string path = folder.File(JobsFile);
            if (!File.Exists(path)) return new JobRecord();
            try
            {
                var record = JsonSerializer.Deserialize<JobRecord>(File.ReadAllText(path)) ?? new JobRecord();
                record.Stages = new Dictionary<string, string>(record.Stages, StringComparer.Ordinal);
                return record;
            }
            catch (JsonException e)
            {
                throw new RoadException($"{path}: not the job record Road writes ({e.Message}); delete it and submit the run again.");
            }
        }

        public void Write(RunFolder folder) => AtomicFile.WriteAllText(folder.File(JobsFile), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}

/// <summary>Slurm's commands, run as processes: their output, or one error with what they said.</summary>
internal static class Slurm
{
    public static string Run(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RoadException($"could not start {command}.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new RoadException($"--executor slurm needs Slurm's {command}, which is not on PATH: run on a Slurm login node.");
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new RoadException($"{command} {string.Join(' ', start.ArgumentList)} failed: {error.Result.Trim()}");
            return output;
        }
    }

    /// <summary>Like <see cref="Run"/>, but null when the command fails (sacct where accounting is off).</summary>
    public static string? TryRun(string command, IEnumerable<string> arguments)
    {
        try
        {
            return Run(command, arguments);
        }
        catch (RoadException)
        {
            return null;
        }
    }
}
