using System.Globalization;
using System.Reflection;

namespace Road.Build.Engine;

/// <summary>The parameters of a build class: fields marked [Parameter], set from options or environment variables.</summary>
public sealed class ParameterSet
{
    public sealed record Entry(FieldInfo Field, string Option, string Description, object Build)
    {
        public Type ValueType => Nullable.GetUnderlyingType(Field.FieldType) ?? Field.FieldType;

        public bool IsFlag => ValueType == typeof(bool);

        public string EnvironmentName => BuildEngine.EnvironmentPrefix + Option.Replace('-', '_').ToUpperInvariant();

        public string TypeName => ValueType switch
        {
            var t when t == typeof(string) => "string",
            var t when t == typeof(int) => "int",
            var t when t == typeof(double) => "double",
            var t when t == typeof(bool) => "bool",
            var t when t.IsEnum => string.Join("|", Enum.GetNames(t).Select(n => n.ToLowerInvariant())),
            var t => t.Name,
        };

        public void Set(string? text)
        {
            object? value;
            try
            {
                value = ValueType switch
                {
                    var t when t == typeof(string) => text,
                    var t when t == typeof(bool) => text is null || bool.Parse(text),
                    var t when t == typeof(int) => int.Parse(text!, NumberStyles.Integer, CultureInfo.InvariantCulture),
                    var t when t == typeof(double) => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
                    var t when t.IsEnum => Enum.Parse(t, text!, ignoreCase: true),
                    var t => throw new BuildException($"--{Option}: parameters of type {t.Name} are not supported."),
                };
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or ArgumentNullException)
            {
                throw new BuildException($"--{Option} expects a value of type {TypeName}, got \"{text}\".");
            }
            Field.SetValue(Build, value);
        }
    }

    private ParameterSet(List<Entry> entries) => All = entries;

    public IReadOnlyList<Entry> All { get; }

    public static ParameterSet Read(object build) => new(build.GetType()
        .GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Select(f => (Field: f, Attribute: f.GetCustomAttribute<ParameterAttribute>()))
        .Where(x => x.Attribute is not null)
        .Select(x => new Entry(x.Field, CommandLine.Kebab(x.Field.Name), x.Attribute!.Description, build))
        .ToList());

    public Entry? Find(string option) => All.FirstOrDefault(p => p.Option == option);

    /// <summary>Environment values for the parameters the command line did not set.</summary>
    public void ApplyEnvironment(IReadOnlySet<string> setOnCommandLine)
    {
        foreach (var p in All.Where(p => !setOnCommandLine.Contains(p.Option)))
        {
            string? value = Environment.GetEnvironmentVariable(p.EnvironmentName);
            if (!string.IsNullOrEmpty(value)) p.Set(value);
        }
    }
}
