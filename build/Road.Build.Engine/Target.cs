namespace Road.Build.Engine;

/// <summary>A build target, declared as a property: <c>Target Compile => _ => _.DependsOn(Restore).Executes(...)</c>.</summary>
public delegate TargetDefinition Target(TargetDefinition definition);

/// <summary>The fluent description of one target: what it depends on, what it needs, what it does.</summary>
public sealed class TargetDefinition
{
    internal List<Target> Dependencies { get; } = [];
    internal List<(Func<object?> Value, string Name)> Requirements { get; } = [];
    internal List<Action> Actions { get; } = [];
    internal string Summary { get; private set; } = "";

    public TargetDefinition Description(string text)
    {
        Summary = text;
        return this;
    }

    public TargetDefinition DependsOn(params Target[] targets)
    {
        Dependencies.AddRange(targets);
        return this;
    }

    /// <summary>Fails before any target runs when the parameter has no value.</summary>
    public TargetDefinition Requires(Func<object?> parameter, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(parameter))] string name = "")
    {
        Requirements.Add((parameter, name[(name.LastIndexOf("=>", StringComparison.Ordinal) + 1)..].Trim('>', ' ')));
        return this;
    }

    public TargetDefinition Executes(Action action)
    {
        Actions.Add(action);
        return this;
    }
}

/// <summary>Marks a field of the build class as a command-line parameter: <c>--kebab-case</c>, or ROAD_BUILD_UPPER_SNAKE.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

/// <summary>A failure the build reports as one line, without a stack trace.</summary>
public sealed class BuildException(string message) : Exception(message);
