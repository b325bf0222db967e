namespace Road.Tests;

/// <summary>Issue 13's learning check: span distributions mapped from a teacher of another tokenization teach the
/// student, in each of three seeds (<see cref="MappedKdCheck"/>).</summary>
[Trait("Category", "Long")]
public sealed class MappedKdLearningTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-mapped-kd-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void A_teacher_reading_other_tokens_teaches_the_student_above_its_baseline_in_three_seeds()
    {
        foreach (var metrics in FixtureTeacherRuns.Run("mapped-kd-check", MappedKdCheck.Teacher, _output, log))
        {
            var teacherMrc = metrics["teachers"]!["Teacher-FactsMrc-bert-0"]!;
            var single = metrics["rows"]!["single"]!["FactsMrc"]!;
            var kd = metrics["rows"]!["kd"]!["FactsMrc"]!;
            log.WriteLine($"seed {metrics["seed"]}: teacher EM {teacherMrc["exact"]}, alone EM {single["exact"]} F1 {single["f1"]}, KD EM {kd["exact"]} F1 {kd["f1"]}");
            Assert.True(teacherMrc["exact"]!.GetValue<double>() > 80, teacherMrc.ToJsonString());
            foreach (string metric in new[] { "exact", "f1" })
                Assert.True(kd[metric]!.GetValue<double>() > single[metric]!.GetValue<double>() + 1, $"seed {metrics["seed"]}: {metric} with KD {kd[metric]}, alone {single[metric]}");
        }
    }
}
