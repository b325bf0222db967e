namespace Road.Pipeline;

/// <summary><c>&lt;output&gt;/&lt;experiment&gt;/&lt;run-id&gt;/</c>: where one run writes its manifest, stages, metrics and report.</summary>
public sealed class RunFolder
{
    private RunFolder(string path, string runId)
    {
        Path = path;
        RunId = runId;
    }

    public string Path { get; }
    public string RunId { get; }

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

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
