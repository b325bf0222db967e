using System.Text.Json;

namespace Road.Pipeline;

/// <summary>Where one stage of a run stands, with its Slurm job when it has one.</summary>
public sealed record StageStatus(string Stage, string State, string Job, string Detail);

/// <summary>
/// <c>./build.sh RunStatus --run DIR</c>: each stage of a run, from what its folder holds (a result: finished; a
/// checkpoint: interrupted at its step) and, for a run on Slurm, from its job's state: <c>sacct</c> where the cluster
/// keeps accounting, <c>squeue</c> for jobs still queued or running where it does not.
/// </summary>
public static class RunStatus
{
    public static IReadOnlyList<StageStatus> Of(RunFolder folder, IReadOnlyList<string> stages)
    {
        var jobs = SlurmExecutor.JobRecord.Read(folder);
        var states = JobStates(jobs.Stages.Values.ToList());
        return stages.Select(stage => Status(folder, stage, jobs.Stages.GetValueOrDefault(stage), states)).ToList();
    }

    public static string ToText(IReadOnlyList<StageStatus> rows)
    {
        int stage = Math.Max(5, rows.Max(r => r.Stage.Length)), state = Math.Max(5, rows.Max(r => r.State.Length)), job = Math.Max(3, rows.Max(r => r.Job.Length));
        var lines = rows.Select(r => $"  {r.Stage.PadRight(stage)}  {r.State.PadRight(state)}  {r.Job.PadRight(job)}  {r.Detail}".TrimEnd());
        return string.Join("\n", lines.Prepend($"  {"stage".PadRight(stage)}  {"state".PadRight(state)}  {"job".PadRight(job)}  detail")) + "\n";
    }

    /// <summary>A stage's headline metrics: EM, F1 and accuracy, of each dataset of a multi-task stage.</summary>
    public static string Headline(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Where(kv => kv.Key.Split('.')[^1] is "exact" or "f1" or "accuracy").Select(kv => FormattableString.Invariant($"{kv.Key} {kv.Value:0.###}")));

    private static StageStatus Status(RunFolder folder, string stage, string? job, IReadOnlyDictionary<string, string> states)
    {
        if (StageResultFile.Exists(folder, stage))
        {
            var result = StageResultFile.Read(folder.File("stages", stage, StageResultFile.Name));
            return new StageStatus(stage, "finished", job ?? "", Headline(result.Metrics));
        }
        string checkpoint = folder.File("stages", stage, "checkpoint", "state.json");
        string? step = File.Exists(checkpoint) ? JsonDocument.Parse(File.ReadAllText(checkpoint)).RootElement.GetProperty("Step").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        string saved = step is null ? "" : $"checkpoint at step {step}";
        if (job is null) return new StageStatus(stage, step is null ? "not started" : "interrupted", "", saved);
        string state = states.GetValueOrDefault(job) ?? "ended";
        string log = $"log: slurm/{LogName(stage, job)}";
        return new StageStatus(stage, state == "COMPLETED" || state == "ended" ? "ended without a result" : state, job,
            string.Join("; ", new[] { saved, state is "PENDING" or "RUNNING" ? "" : log }.Where(s => s.Length > 0)));
    }

    private static string LogName(string stage, string job) => job.Contains('_', StringComparison.Ordinal)
        ? $"{stage[..(stage.LastIndexOf('-') + 1)]}array-{job}.out"
        : $"{stage}-{job}.out";

    // Each job's state: from sacct, else squeue (which knows only jobs not yet ended; a pending array shows as id_[...]).
    private static Dictionary<string, string> JobStates(IReadOnlyList<string> jobs)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (jobs.Count == 0) return states;
        string ids = string.Join(",", jobs.Select(j => j.Split('_')[0]).Distinct());
        if (Slurm.TryRun("sacct", ["-n", "-P", "-X", "-j", ids, "--format=JobID,State"]) is { } accounting && accounting.Trim().Length > 0)
        {
            foreach (var (id, state) in Lines(accounting)) states[id] = state.Split(' ')[0];
        }
        else if (Slurm.TryRun("squeue", ["-h", "-j", ids, "-o", "%i|%T"]) is { } queue)
        {
            foreach (var (id, state) in Lines(queue))
            {
                states[id] = state;
                if (id.EndsWith(']') && id.IndexOf("_[", StringComparison.Ordinal) is > 0 and var at)
                    foreach (string job in jobs.Where(j => j.StartsWith(id[..(at + 1)], StringComparison.Ordinal))) states.TryAdd(job, state);
            }
        }
        return states;
    }

    private static IEnumerable<(string Id, string State)> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|'))
            .Where(parts => parts.Length >= 2)
            .Select(parts => (parts[0], parts[1]));
}
