using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Road.Build.Engine;

/// <summary>
/// Runs a build class: reads targets (properties of type <see cref="Target"/>) and parameters (fields marked
/// <see cref="ParameterAttribute"/>), parses the command line, orders the requested targets after their
/// dependencies, runs them, and ends with a summary table. Exit codes: 0 success, 1 a target failed, 2 bad usage.
/// Target banners and the summary go to the error stream, like every other log line, so that what a target prints
/// on standard output (Evaluate's JSON, say) can be piped as it is.
/// </summary>
public static class BuildEngine
{
    public const string EnvironmentPrefix = "ROAD_BUILD_";

    /// <param name="isUserError">Exceptions (besides <see cref="BuildException"/>) reported as one line without a stack trace.</param>
    public static int Run<TBuild>(string[] args, TextWriter output, TextWriter error, Func<Exception, bool>? isUserError = null) where TBuild : new()
    {
        var build = new TBuild();
        var targets = TargetSet.Read(build);
        var parameters = ParameterSet.Read(build);
        CommandLine command;
        try
        {
            command = CommandLine.Parse(args, targets, parameters);
            parameters.ApplyEnvironment(command.Explicit);
        }
        catch (BuildException e)
        {
            error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run ./build.sh --help for the targets and parameters.");
            return 2;
        }
        if (command.Help || command.Targets.Count == 0)
        {
            output.Write(Help(targets, parameters));
            return 0;
        }
        var plan = targets.Plan(command.Targets);
        if (command.Plan)
        {
            output.WriteLine("Execution plan:");
            for (int i = 0; i < plan.Count; i++) output.WriteLine($"  {i + 1}. {plan[i].Name}{(command.IsSkipped(plan[i].Name) ? " (skipped)" : "")}");
            return 0;
        }
        foreach (var target in plan.Where(t => !command.IsSkipped(t.Name)))
        foreach (var (value, name) in target.Definition.Requirements)
        {
            if (value() is null or "")
            {
                error.WriteLine($"error: target {target.Name} requires --{CommandLine.Kebab(name)}.");
                return 2;
            }
        }
        return Execute(plan, command, output, error, isUserError ?? (_ => false));
    }

    private static int Execute(IReadOnlyList<TargetSet.Entry> plan, CommandLine command, TextWriter output, TextWriter error, Func<Exception, bool> isUserError)
    {
        var rows = new List<(string Name, string Status, TimeSpan Duration)>();
        bool failed = false;
        foreach (var target in plan)
        {
            if (failed)
            {
                rows.Add((target.Name, "NotRun", TimeSpan.Zero));
                continue;
            }
            if (command.IsSkipped(target.Name))
            {
                rows.Add((target.Name, "Skipped", TimeSpan.Zero));
                continue;
            }
            error.WriteLine($"═══ {target.Name} ═══");
            var clock = Stopwatch.StartNew();
            try
            {
                foreach (var action in target.Definition.Actions) action();
                rows.Add((target.Name, "Succeeded", clock.Elapsed));
            }
            catch (Exception e) when (Unwrap(e) is BuildException || isUserError(Unwrap(e)))
            {
                error.WriteLine($"error: {Unwrap(e).Message}");
                rows.Add((target.Name, "Failed", clock.Elapsed));
                failed = true;
            }
        }
        error.Write(Summary(rows));
        return failed ? 1 : 0;
    }

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? inner : e;

    public static string Summary(IReadOnlyList<(string Name, string Status, TimeSpan Duration)> rows)
    {
        int width = Math.Max("Target".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length));
        var text = new StringBuilder();
        string line = new('─', width + 26);
        text.AppendLine(line);
        text.AppendLine($"{"Target".PadRight(width)}  {"Status",-10}  {"Duration",10}");
        text.AppendLine(line);
        foreach (var (name, status, duration) in rows)
            text.AppendLine($"{name.PadRight(width)}  {status,-10}  {(status is "Succeeded" or "Failed" ? duration.ToString(@"m\:ss\.fff", CultureInfo.InvariantCulture) : "–"),10}");
        text.AppendLine(line);
        return text.ToString();
    }

    private static string Help(TargetSet targets, ParameterSet parameters)
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: ./build.sh <target> [<target> ...] [--parameter value ...] [--skip [target ...]] [--plan] [--help]");
        text.AppendLine();
        text.AppendLine("Targets (dependencies run first):");
        int width = targets.All.Max(t => t.Name.Length);
        foreach (var t in targets.All)
        {
            string deps = t.Dependencies.Count == 0 ? "" : $"  -> {string.Join(", ", t.Dependencies)}";
            text.AppendLine($"  {t.Name.PadRight(width)}  {t.Definition.Summary}{deps}");
        }
        text.AppendLine();
        text.AppendLine($"Parameters (also from environment variables {EnvironmentPrefix}<NAME>):");
        int pwidth = parameters.All.Max(p => p.Option.Length + p.TypeName.Length + 3);
        foreach (var p in parameters.All)
            text.AppendLine($"  {($"--{p.Option} <{p.TypeName}>").PadRight(pwidth + 2)}  {p.Description}");
        text.AppendLine($"  {"--skip [<target> ...]".PadRight(pwidth + 2)}  skip the named targets, or every dependency when none is named");
        text.AppendLine($"  {"--plan".PadRight(pwidth + 2)}  print the execution order and stop");
        return text.ToString();
    }
}
