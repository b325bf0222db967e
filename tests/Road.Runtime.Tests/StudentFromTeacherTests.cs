using Road.Encoders;
using Road.Pipeline;
using Road.Stages;
using Road.Training;

namespace Road.Tests;

/// <summary>A smaller student that starts from layers of its teacher (<see cref="StageSpec.FromTeacher"/>, issue 13):
/// which weights it takes, what the stage reads, and that it learns.</summary>
public sealed class StudentFromTeacherTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-student-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void The_student_takes_the_teachers_embeddings_and_named_layers_after_the_teacher_ran()
    {
        var entry = ShortRuns.Shortened("tiny-distil", trainExamples: 120, epochs: 1, teacherEpochs: 1);
        var spec = entry.Spec;
        var outcome = ExperimentRunner.Run(entry, new RunOptions("cpu", null, _output), new SilentProgress());

        Assert.Equal(["Teacher-FactsMrc-large-0", "Teacher-FactsMrc-large-1", "Teacher-FactsMrc-large-2", "Single", "FromTeacher", "WeightedKd"], outcome.Results.Select(r => r.Stage));
        var graph = StageGraph.Of(spec, entry.Create(new DataCatalog(spec)).CreatePlan());
        Assert.Equal(["Teacher-FactsMrc-large-0"], graph.Upstream("FromTeacher"));
        Assert.Empty(graph.Upstream("Single"));

        const string teacherStage = "Teacher-FactsMrc-large-0";
        var store = new EncoderStore(new InitialEncoder(spec, new DataCatalog(spec).Tokenizer), RunFolder.Existing(outcome.Folder.Path, writes: false));
        store.Restore(teacherStage);
        using var student = store.CreateFromLayers(spec.Name, teacherStage, [1]);
        using var teacher = EncoderCheckpoint.Load(outcome.Folder.File("stages", teacherStage, "encoder"));
        var theirs = teacher.state_dict();
        var mine = student.state_dict();
        Assert.Contains("encoder.layer.0.attention.self.query.weight", mine.Keys);
        foreach (var (name, tensor) in mine)
        {
            string source = name.Replace("encoder.layer.0.", "encoder.layer.1.", StringComparison.Ordinal);
            Assert.True(tensor.allclose(theirs[source], rtol: 0, atol: 0), $"{name} is not the teacher's {source}");
        }
        Assert.False(mine["encoder.layer.0.attention.self.query.weight"].allclose(theirs["encoder.layer.0.attention.self.query.weight"], rtol: 0, atol: 0));

        var twoLayers = Assert.Throws<RoadException>(() => store.CreateFromLayers(spec.Name, teacherStage, [0, 1]));
        Assert.Equal("experiment tiny-distil: a stage takes 2 layers of Teacher-FactsMrc-large-0 into an encoder of 1; name one teacher layer per student layer.", twoLayers.Message);
        var narrow = new EncoderStore(new InitialEncoder(spec with { Encoder = spec.Encoder with { HiddenSize = 32, EmbeddingSize = 32, IntermediateSize = 64 } }, new DataCatalog(spec).Tokenizer),
            RunFolder.Existing(outcome.Folder.Path, writes: false));
        narrow.Restore(teacherStage);
        var sizes = Assert.Throws<RoadException>(() => narrow.CreateFromLayers(spec.Name, teacherStage, [0]));
        Assert.StartsWith("experiment tiny-distil: the student's embeddings.word_embeddings.weight is [40, 32] and Teacher-FactsMrc-large-0's embeddings.word_embeddings.weight [40, 64];", sizes.Message);
    }

    [Fact]
    public void A_smoke_run_keeps_a_student_one_layer_per_teacher_layer_it_takes()
    {
        var entry = ShortRuns.Entry("tiny-distil");
        var smoke = SmokeSpec.Of(entry.Spec, Path.Combine(AppContext.BaseDirectory, "Fixtures"));
        Assert.Equal((1, 2), (smoke.Encoder.Layers, smoke.TeacherEncoders!.Single().Encoder.Layers));

        var outcome = ExperimentRunner.Run(entry with { Spec = smoke }, new RunOptions("cpu", null, _output), new SilentProgress());
        Assert.Equal(["Teacher-FactsMrc-large-0", "Teacher-FactsMrc-large-1", "Teacher-FactsMrc-large-2", "Single", "FromTeacher", "WeightedKd"], outcome.Results.Select(r => r.Stage));
    }

    [Fact]
    public void A_one_layer_student_from_its_teachers_first_layer_with_KD_learns_far_above_itself_from_scratch_in_three_seeds()
    {
        foreach (var metrics in FixtureTeacherRuns.Run("distil-student-check", DistilStudentCheck.Teacher, _output, log))
        {
            var single = metrics["rows"]!["single"]!["FactsMrc"]!;
            var distilled = metrics["rows"]!["distilled"]!["FactsMrc"]!;
            log.WriteLine($"seed {metrics["seed"]}: alone EM {single["exact"]} F1 {single["f1"]}, distilled EM {distilled["exact"]} F1 {distilled["f1"]}");
            foreach (string metric in new[] { "exact", "f1" })
                Assert.True(distilled[metric]!.GetValue<double>() > single[metric]!.GetValue<double>() + 10, $"seed {metrics["seed"]}: {metric} distilled {distilled[metric]}, alone {single[metric]}");
        }
    }
}
