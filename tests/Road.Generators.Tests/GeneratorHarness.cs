using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Road.Generators;
using Road.Generators.Diagnostics;

namespace Road.Generators.Tests;

/// <summary>Compiles declarations against the real Road.Dsl and Road.Runtime and runs the generator or analyzer on them.</summary>
internal static partial class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Road.Pipeline.ExperimentSpec).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    public static readonly CSharpParseOptions Parse = new(LanguageVersion.Preview);

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "Road.Examples",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, Parse, path: $"Experiment{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        [new ExperimentGenerator().AsSourceGenerator()],
        parseOptions: Parse,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns its files and the diagnostics of the compilation that includes them.</summary>
    public static (ImmutableArray<GeneratedSourceResult> Files, ImmutableArray<Diagnostic> Errors) Generate(params string[] sources)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(Compile(sources), out var output, out _);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (driver.GetRunResult().Results[0].GeneratedSources, errors);
    }

    /// <summary>
    /// Checks the analyzer against markup: <c>{|ROAD003:text|}</c> marks where exactly that diagnostic must be
    /// reported, and no other Road diagnostic may appear.
    /// </summary>
    public static async Task VerifyAnalyzerAsync(string markup)
    {
        var expected = new List<(string Id, int Start, int End)>();
        string source = Markup().Replace(markup, m =>
        {
            int start = m.Index - expected.Sum(e => MarkupOverhead(e.Id));
            expected.Add((m.Groups["id"].Value, start, start + m.Groups["text"].Value.Length));
            return m.Groups["text"].Value;
        });
        var compilation = Compile(source);
        var diagnostics = await compilation.WithAnalyzers([new ExperimentAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var actual = diagnostics.Where(d => d.Id.StartsWith("ROAD", StringComparison.Ordinal))
            .Select(d => (d.Id, d.Location.SourceSpan.Start, d.Location.SourceSpan.End))
            .OrderBy(d => d.Start).ToList();
        Assert.Equal(expected.OrderBy(e => e.Start).ToList(), actual);
    }

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source) =>
        await Compile(source).WithAnalyzers([new ExperimentAnalyzer()]).GetAnalyzerDiagnosticsAsync();

    private static int MarkupOverhead(string id) => "{|".Length + id.Length + ":".Length + "|}".Length;

    [GeneratedRegex(@"\{\|(?<id>ROAD\d{3}):(?<text>.*?)\|\}", RegexOptions.Singleline)]
    private static partial Regex Markup();
}
