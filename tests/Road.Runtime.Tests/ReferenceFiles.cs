namespace Road.Tests;

/// <summary>Finds reference files or folders: those shipped under tests/ plus those a ':'-separated variable names.</summary>
internal static class ReferenceFiles
{
    /// <returns>name (file or folder name; disambiguated with a number when two share one) -> full path</returns>
    public static Dictionary<string, string> Discover(string shipped, string pattern, string variable, bool folders = false)
    {
        var paths = (folders ? Directory.GetDirectories(shipped, pattern) : Directory.GetFiles(shipped, pattern)).Order(StringComparer.Ordinal)
            .Concat((Environment.GetEnvironmentVariable(variable) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath));
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            string name = Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar));
            for (int n = 2; byName.ContainsKey(name); n++) name = $"{Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar))} ({n})";
            byName[name] = path;
        }
        return byName;
    }
}
