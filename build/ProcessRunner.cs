using System.Diagnostics;
using Road.Build.Engine;

namespace Road.Build;

/// <summary>Runs a tool with its output streamed to the console; a non-zero exit fails the target.</summary>
public static class ProcessRunner
{
    public static void Run(string tool, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool, arguments) { WorkingDirectory = workingDirectory };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new BuildException($"could not start {tool}.");
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new BuildException($"{tool} {string.Join(' ', start.ArgumentList)} exited with code {process.ExitCode}.");
    }
}
