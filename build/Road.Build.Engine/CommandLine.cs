using System.Text;

namespace Road.Build.Engine;

/// <summary>The parsed command line: targets, explicit parameters, <c>--skip</c>, <c>--plan</c>, <c>--help</c>.</summary>
public sealed class CommandLine
{
    private readonly HashSet<string> _skipped = new(StringComparer.OrdinalIgnoreCase);
    private bool _skipAllDependencies;

    public List<string> Targets { get; } = [];
    public HashSet<string> Explicit { get; } = [];
    public bool Help { get; private set; }
    public bool Plan { get; private set; }

    public bool IsSkipped(string target) =>
        _skipped.Contains(target) || (_skipAllDependencies && !Targets.Contains(target, StringComparer.OrdinalIgnoreCase));

    public static CommandLine Parse(string[] args, TargetSet targets, ParameterSet parameters)
    {
        var command = new CommandLine();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith('-'))
            {
                var target = targets.Find(arg) ?? throw new BuildException($"unknown target \"{arg}\"; targets: {string.Join(", ", targets.All.Select(t => t.Name))}.");
                command.Targets.Add(target.Name);
                continue;
            }
            string option = arg.TrimStart('-');
            switch (option)
            {
                case "help" or "h" or "?":
                    command.Help = true;
                    continue;
                case "plan":
                    command.Plan = true;
                    continue;
                case "skip":
                    int before = command._skipped.Count;
                    while (i + 1 < args.Length && !args[i + 1].StartsWith('-'))
                    {
                        string name = args[++i];
                        command._skipped.Add(targets.Find(name)?.Name ?? throw new BuildException($"--skip: unknown target \"{name}\"."));
                    }
                    if (command._skipped.Count == before) command._skipAllDependencies = true;
                    continue;
            }
            var parameter = parameters.Find(option) ?? throw new BuildException($"unknown parameter \"{arg}\"; parameters: {string.Join(", ", parameters.All.Select(p => "--" + p.Option))}.");
            if (parameter.IsFlag && (i + 1 >= args.Length || args[i + 1].StartsWith('-') || targets.Find(args[i + 1]) is not null))
            {
                parameter.Set(null);
            }
            else
            {
                if (i + 1 >= args.Length) throw new BuildException($"--{parameter.Option} needs a value of type {parameter.TypeName}.");
                parameter.Set(args[++i]);
            }
            command.Explicit.Add(parameter.Option);
        }
        return command;
    }

    /// <summary>FieldName or fieldName -> field-name.</summary>
    public static string Kebab(string name)
    {
        var text = new StringBuilder();
        foreach (char c in name.TrimStart('_'))
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
