using System.Text.Json.Nodes;
using Road.Pipeline;
using Road.Reporting;
using Road.Training;

namespace Road.Tests;

/// <summary>The runs of a learning check declared in the tests whose one teacher encoder starts from a trained
/// encoder shipped under Fixtures/teachers (training it takes longer than the suite has): one run per declared seed,
/// their summary logged, each run's metrics.json returned.</summary>
internal static class FixtureTeacherRuns
{
    public static List<JsonNode> Run(string experiment, string teacherFolder, string output, Xunit.Abstractions.ITestOutputHelper log)
    {
        var entry = Road.Runtime.Tests.Generated.ExperimentRegistry.All.Single(e => e.Spec.Name == experiment);
        var teacher = entry.Spec.TeacherEncoders!.Single();
        var spec = entry.Spec with
        {
            TeacherEncoders = [teacher with { Encoder = teacher.Encoder with { Checkpoint = Path.Combine(AppContext.BaseDirectory, teacherFolder) } }],
        };
        var runs = Enumerable.Range(spec.Seed, spec.Runs)
            .Select(seed => ExperimentRunner.Run(entry with { Spec = spec }, new RunOptions("cpu", seed, output), new SilentProgress()))
            .Select(outcome => File.ReadAllText(outcome.Folder.File("metrics.json")))
            .ToList();
        log.WriteLine(RunsSummary.Table(RunsSummary.Of(runs)));
        return runs.Select(m => JsonNode.Parse(m)!).ToList();
    }
}
