using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Road.Generators.Tests;

/// <summary>Exact generated code, checked against committed snapshots, and that it compiles against the runtime.</summary>
public sealed class ExperimentGeneratorTests
{
    [Fact]
    public void Tiny_experiment_generates_its_spec_accessors_and_plan()
    {
        var (files, errors) = GeneratorHarness.Generate(Declarations.Tiny);
        Assert.Empty(errors);
        Snapshot.Verify(files.Single(f => f.HintName == "Road.Examples.RoadTiny.g.cs").SourceText.ToString(), "RoadTiny");
        Snapshot.Verify(files.Single(f => f.HintName == "ExperimentRegistry.g.cs").SourceText.ToString(), "Registry");
    }

    [Fact]
    public void Teachers_multi_task_pretraining_and_distillation_generate_their_stages()
    {
        var (files, errors) = GeneratorHarness.Generate(Declarations.Distilled);
        Assert.Empty(errors);
        Snapshot.Verify(files.Single(f => f.HintName == "Road.Examples.Distilled.g.cs").SourceText.ToString(), "Distilled");
    }

    [Fact]
    public void Teacher_encoders_and_their_teachers_generate_their_specs_and_stages()
    {
        var (files, errors) = GeneratorHarness.Generate(Declarations.Hetero);
        Assert.Empty(errors);
        Snapshot.Verify(files.Single(f => f.HintName == "Road.Examples.Hetero.g.cs").SourceText.ToString(), "Hetero");
    }

    [Fact]
    public void A_student_from_a_teachers_layers_names_them_in_its_stage_spec()
    {
        var (files, errors) = GeneratorHarness.Generate("""
            using Road;
            using Road.Data;
            using Road.Pipeline;

            namespace Road.Examples;

            [Experiment("distil")]
            [Encoder(EncoderFamily.Electra, HiddenSize = 64, Layers = 2)]
            [TeacherEncoder("large", EncoderFamily.Electra, HiddenSize = 64, Layers = 4)]
            public partial class Distil
            {
                [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher(Encoder = "large")] public partial MrcDataset A { get; }
                [Finetune(nameof(A), FromTeacher = "large", TeacherLayers = new[] { 0, 2 })] public partial StageSpec Student { get; }
                [Finetune(nameof(A))] public partial StageSpec Alone { get; }
            }
            """);
        Assert.Empty(errors);
        var stages = files.Single(f => f.HintName == "Road.Examples.Distil.g.cs").SourceText.ToString().Split('\n')
            .Where(line => line.Contains("new global::Road.Pipeline.StageSpec(\"Student\"") || line.Contains("new global::Road.Pipeline.StageSpec(\"Alone\"")).ToList();
        Assert.Equal(2, stages.Count);
        Assert.EndsWith("Paper: null, FromTeacher: new global::Road.Pipeline.TeacherLayers(\"large\", new int[] { 0, 2 })),", stages[0].TrimEnd());
        Assert.EndsWith("Paper: null),", stages[1].TrimEnd());
    }

    [Fact]
    public void Teachers_from_a_stage_a_chosen_multi_task_set_and_an_out_of_domain_evaluation_generate_their_plan()
    {
        var (files, errors) = GeneratorHarness.Generate(Declarations.PaperShaped);
        Assert.Empty(errors);
        Snapshot.Verify(files.Single(f => f.HintName == "Road.Examples.PaperShaped.g.cs").SourceText.ToString(), "PaperShaped");
    }

    [Fact]
    public void Experiment_bases_get_their_accessors_once_and_each_experiment_trains_only_the_teachers_it_distils_from()
    {
        var (files, errors) = GeneratorHarness.Generate(Declarations.Shared);
        Assert.Empty(errors);
        Snapshot.Verify(files.Single(f => f.HintName == "Road.Examples.Common.g.cs").SourceText.ToString(), "SharedCommon");
        Snapshot.Verify(files.Single(f => f.HintName == "Road.Examples.WithKd.g.cs").SourceText.ToString(), "SharedWithKd");
        Snapshot.Verify(files.Single(f => f.HintName == "Road.Examples.Table.g.cs").SourceText.ToString(), "SharedTable");
        string withoutKd = files.Single(f => f.HintName == "Road.Examples.WithoutKd.g.cs").SourceText.ToString();
        Assert.DoesNotContain("TeacherStage", withoutKd);
        Assert.Contains("TeacherSeeds: 0, TeacherSettings: null", withoutKd);
        Assert.Contains("public WithoutKd(global::Road.Pipeline.DataCatalog data) : base(data) => _data = data;", withoutKd);
        Assert.Contains("new global::Road.Pipeline.PlannedStage(Tune, context => global::Road.Stages.FinetuneStage.Run(context, Tune, new global::Road.Stages.BoundTask(Spec.Tasks[1], Snli))),", withoutKd);
    }

    [Fact]
    public void A_class_that_is_not_partial_gets_no_code_but_the_others_do()
    {
        var (files, _) = GeneratorHarness.Generate(Declarations.Tiny, """
            using Road;
            [Experiment("plain")]
            public class Plain { }
            """);
        Assert.DoesNotContain(files, f => f.HintName.StartsWith("Plain", StringComparison.Ordinal));
        var registry = files.Single(f => f.HintName == "ExperimentRegistry.g.cs").SourceText.ToString();
        Assert.DoesNotContain("Plain", registry);
        Assert.Contains("global::Road.Examples.RoadTiny.Specification", registry);
    }

    [Fact]
    public void Generator_defaults_equal_the_dsl_defaults()
    {
        var (files, errors) = GeneratorHarness.Generate("""
            using Road;
            using Road.Data;
            using Road.Pipeline;
            [Experiment("defaults")]
            public partial class Defaults
            {
                [MrcTask(DataFormat.Squad2, "train.json")] public partial MrcDataset Squad { get; }
                [Finetune(nameof(Squad))] public partial StageSpec Tune { get; }
            }
            """);
        Assert.Empty(errors);
        string code = files.Single(f => f.HintName == "Defaults.g.cs").SourceText.ToString();
        var encoder = new EncoderAttribute(EncoderFamily.Electra);
        var task = new MrcTaskAttribute(DataFormat.Squad2, "train.json");
        var stage = new FinetuneAttribute("Squad");
        var experiment = new ExperimentAttribute("defaults");
        Assert.Contains($"Seed: {experiment.Seed},", code);
        Assert.Contains($"EmbeddingSize: {encoder.EmbeddingSize}, HiddenSize: {encoder.HiddenSize}, Layers: {encoder.Layers}, Heads: {encoder.Heads}, IntermediateSize: {encoder.IntermediateSize}, MaxPositions: {encoder.MaxPositions}, Dropout: {encoder.Dropout:0.0##}", code);
        Assert.Contains($"MaxLength: {task.MaxLength}, Stride: {task.Stride}, MaxQueryLength: {task.MaxQueryLength}", code);
        Assert.Contains(FormattableString.Invariant($"Epochs: {stage.Epochs}, BatchSize: {stage.BatchSize}, LearningRate: {stage.LearningRate:R}, WarmupFraction: {stage.WarmupFraction:R}, WeightDecay: {stage.WeightDecay:R}, MaxGradNorm: {stage.MaxGradNorm:0.0}"), code);
    }
}

/// <summary>Verify-style snapshots: <c>Snapshots/Name.verified.cs</c>; a mismatch writes <c>.received.cs</c> and fails.</summary>
internal static class Snapshot
{
    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string verified = Path.Combine(folder, $"ExperimentGeneratorTests.{name}.verified.cs");
        string received = Path.Combine(folder, $"ExperimentGeneratorTests.{name}.received.cs");
        string normalized = actual.Replace("\r\n", "\n");
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == normalized)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(received, normalized);
        Assert.Fail($"generated code differs from {verified}; compare with {received} and rename it to accept.");
    }
}
