namespace Road.Pipeline;

/// <summary><c>&lt;output&gt;/&lt;experiment&gt;/&lt;run-id&gt;/</c>: where one run writes its manifest, stages, metrics and
/// report. In a data-parallel run every rank reads it and rank 0 alone writes it (<see cref="Writes"/>).</summary>
public sealed class RunFolder
{
    private RunFolder(string path, string runId, bool writes = true)
    {
        Path = path;
        RunId = runId;
        Writes = writes;
    }

    public string Path { get; }
    public string RunId { get; }

    /// <summary>Whether this process writes the folder; the other ranks of a data-parallel run only read it.</summary>
    public bool Writes { get; }

    /// <summary>A run folder that exists: what a stage run on its own (<c>RunStage</c>) works in.</summary>
    public static RunFolder Existing(string path, bool writes = true)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new RoadException($"--run {path}: no such run folder.");
        return new RunFolder(full, System.IO.Path.GetFileName(full), writes);
    }

    /// <summary>Rank 0's folder (made by <paramref name="create"/> there) on every rank; the others only read it.</summary>
    public static RunFolder Shared(Road.Distributed.IProcessGroup group, Func<RunFolder> create)
    {
        if (group.Size == 1) return create();
        var own = group.Rank == 0 ? create() : null;
        string path = Road.Distributed.ProcessGroupExtensions.BroadcastText(group, own?.Path);
        return own ?? new RunFolder(path, System.IO.Path.GetFileName(path), writes: false);
    }

    /// <summary>A new folder named by the UTC start time and seed; never reuses an existing one.</summary>
    public static RunFolder Create(string output, string experiment, int seed, DateTime startedUtc)
    {
        string stem = $"{startedUtc:yyyyMMdd-HHmmss}-seed{seed}";
        string runId = stem;
        for (int n = 2; Directory.Exists(System.IO.Path.Combine(output, experiment, runId)); n++) runId = $"{stem}-{n}";
        string path = System.IO.Path.Combine(output, experiment, runId);
        Directory.CreateDirectory(path);
        return new RunFolder(path, runId);
    }

    /// <summary>The newest run of an experiment whose manifest does not say "completed", with its seed; null when none.</summary>
    public static (RunFolder Folder, int Seed)? LatestUnfinished(string output, string experiment) =>
        Runs(output, experiment).Where(r => !IsCompleted(r.Manifest)).Select(r => ((RunFolder, int)?)(r.Folder, r.Manifest["seed"]!.GetValue<int>())).FirstOrDefault();

    /// <summary>The newest run of an experiment whose manifest says "completed"; null when none.</summary>
    public static RunFolder? LatestCompleted(string output, string experiment) =>
        Runs(output, experiment).Where(r => IsCompleted(r.Manifest)).Select(r => r.Folder).FirstOrDefault();

    // An experiment's runs that have a manifest, newest first (run ids start with their start time).
    private static IEnumerable<(RunFolder Folder, System.Text.Json.Nodes.JsonNode Manifest)> Runs(string output, string experiment)
    {
        string root = System.IO.Path.Combine(output, experiment);
        if (!Directory.Exists(root)) yield break;
        foreach (var path in Directory.GetDirectories(root).OrderByDescending(p => p, StringComparer.Ordinal))
        {
            string manifest = System.IO.Path.Combine(path, "manifest.json");
            if (System.IO.File.Exists(manifest))
                yield return (new RunFolder(path, System.IO.Path.GetFileName(path)), System.Text.Json.Nodes.JsonNode.Parse(System.IO.File.ReadAllText(manifest))!);
        }
    }

    private static bool IsCompleted(System.Text.Json.Nodes.JsonNode manifest) => manifest["status"]?.GetValue<string>() == "completed";

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
