using System.Text.Json.Nodes;
using Road.Pipeline;
using Road.Reporting;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// Issue 13's learning checks: a student learns by KD from one teacher started from an encoder shipped in
/// Fixtures/teachers, and scores above itself alone in each of three seeds. <see cref="MappedKdCheck"/>: a teacher of
/// another tokenization, whose span distributions are mapped onto the student's tokens; <see cref="DistilKdCheck"/>: a
/// larger teacher of a smaller student.
/// </summary>
public sealed class KdLearningTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-kd-check-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void A_teacher_reading_other_tokens_teaches_the_student_above_its_baseline_in_three_seeds() =>
        AssertKdTeaches(Run("mapped-kd-check", MappedKdCheck.Teacher), teacherExact: 80);

    [Fact]
    [Trait("Category", "Long")]
    public void A_larger_teacher_teaches_a_smaller_student_above_its_baseline_in_three_seeds() =>
        AssertKdTeaches(Run("distil-kd-check", DistilKdCheck.Teacher), teacherExact: 95);

    // The metrics.json of each of the experiment's runs, its teacher encoder read from the folder teacher (relative to
    // the test assembly).
    private IReadOnlyList<JsonNode> Run(string experiment, string teacher)
    {
        var entry = Road.Runtime.Tests.Generated.ExperimentRegistry.All.Single(e => e.Spec.Name == experiment);
        var encoder = entry.Spec.TeacherEncoders!.Single();
        var spec = entry.Spec with
        {
            TeacherEncoders = [encoder with { Encoder = encoder.Encoder with { Checkpoint = Path.Combine(AppContext.BaseDirectory, teacher) } }],
        };
        var runs = Enumerable.Range(spec.Seed, spec.Runs)
            .Select(seed => ExperimentRunner.Run(entry with { Spec = spec }, new RunOptions("cpu", seed, _output), new SilentProgress()))
            .Select(outcome => File.ReadAllText(outcome.Folder.File("metrics.json")))
            .ToList();
        log.WriteLine(RunsSummary.Table(RunsSummary.Of(runs)));
        return runs.Select(m => JsonNode.Parse(m)!).ToList();
    }

    // In every run: the teacher above teacherExact EM, and the student with KD more than one point above itself alone
    // in EM and in F1.
    private void AssertKdTeaches(IReadOnlyList<JsonNode> runs, double teacherExact)
    {
        foreach (var metrics in runs)
        {
            var teacher = metrics["teachers"]!.AsObject().Single().Value!;
            var single = metrics["rows"]!["single"]!["FactsMrc"]!;
            var kd = metrics["rows"]!["kd"]!["FactsMrc"]!;
            log.WriteLine($"seed {metrics["seed"]}: teacher EM {teacher["exact"]}, alone EM {single["exact"]} F1 {single["f1"]}, KD EM {kd["exact"]} F1 {kd["f1"]}");
            Assert.True(teacher["exact"]!.GetValue<double>() > teacherExact, teacher.ToJsonString());
            foreach (string metric in new[] { "exact", "f1" })
                Assert.True(kd[metric]!.GetValue<double>() > single[metric]!.GetValue<double>() + 1, $"seed {metrics["seed"]}: {metric} with KD {kd[metric]}, alone {single[metric]}");
        }
    }
}
