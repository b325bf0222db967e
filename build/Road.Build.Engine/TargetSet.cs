using System.Reflection;

namespace Road.Build.Engine;

/// <summary>The targets of a build class, read by reflection, and their dependency order.</summary>
public sealed class TargetSet
{
    public sealed record Entry(string Name, TargetDefinition Definition, IReadOnlyList<string> Dependencies);

    private readonly Dictionary<string, Entry> _byName;

    private TargetSet(List<Entry> entries)
    {
        All = entries;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<Entry> All { get; }

    public static TargetSet Read(object build)
    {
        var properties = build.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target))
            .OrderBy(p => p.MetadataToken)
            .ToList();
        // A target property returns a new delegate on every read; the lambda's method identifies it.
        var names = properties.ToDictionary(p => ((Target)p.GetValue(build)!).Method, p => p.Name);
        var entries = properties.Select(p =>
        {
            var definition = ((Target)p.GetValue(build)!)(new TargetDefinition());
            return new Entry(p.Name, definition, definition.Dependencies.Select(d => names[d.Method]).ToList());
        }).ToList();
        return new TargetSet(entries);
    }

    public Entry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The requested targets after all their dependencies, each once, dependencies in declaration order.</summary>
    public IReadOnlyList<Entry> Plan(IEnumerable<string> requested)
    {
        var ordered = new List<Entry>();
        var visiting = new HashSet<string>();
        void Visit(Entry entry)
        {
            if (ordered.Contains(entry)) return;
            if (!visiting.Add(entry.Name)) throw new BuildException($"targets depend on each other in a cycle through {entry.Name}.");
            foreach (var dependency in entry.Dependencies) Visit(_byName[dependency]);
            ordered.Add(entry);
        }
        foreach (var name in requested) Visit(_byName[name]);
        return ordered;
    }
}
