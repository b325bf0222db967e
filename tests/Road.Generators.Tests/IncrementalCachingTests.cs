using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Road.Generators.Tests;

/// <summary>An edit that does not touch an experiment leaves the generator's steps cached.</summary>
public sealed class IncrementalCachingTests
{
    [Fact]
    public void Editing_an_unrelated_method_body_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compile(Declarations.Tiny, Declarations.Unrelated);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);

        var unrelated = compilation.SyntaxTrees.Single(t => t.FilePath == "Experiment1.cs");
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText(Declarations.Unrelated.Replace("=> 42", "=> 43"), GeneratorHarness.Parse, path: unrelated.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];

        foreach (string step in new[] { TrackingNames.Experiments, TrackingNames.AllExperiments })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Editing_an_experiment_regenerates_it()
    {
        var compilation = GeneratorHarness.Compile(Declarations.Tiny);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Declarations.Tiny.Replace("Epochs = 12", "Epochs = 7"), GeneratorHarness.Parse, path: tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];
        Assert.Contains(result.TrackedSteps[TrackingNames.Experiments].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void The_model_holds_no_roslyn_objects()
    {
        var visited = new HashSet<Type>();
        void Walk(Type type)
        {
            if (!visited.Add(type) || type.IsPrimitive || type == typeof(string)) return;
            Assert.False(type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) ?? false, $"model type {type} is a Roslyn type");
            foreach (var property in type.GetProperties()) Walk(property.PropertyType);
            foreach (var argument in type.GetGenericArguments()) Walk(argument);
        }
        Walk(typeof(Road.Generators.Model.ExperimentSpecModel));
        Assert.Contains(typeof(Road.Generators.Model.TaskSpecModel), visited);
    }
}
