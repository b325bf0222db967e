using Road.Pipeline;
using Road.Stages;
using Road.Training;

namespace Road.Tests;

/// <summary>Teachers trained once and reused by later runs and experiments with the same inputs, never stale ones.</summary>
public sealed class TeacherCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-teacher-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (string Metrics, List<string> Reused) Run(ExperimentEntry entry, string name)
    {
        var notes = new RecordedNotes();
        var outcome = ExperimentRunner.Run(entry, new RunOptions(Output: Path.Combine(_folder, name), Teachers: new TeacherCache(Path.Combine(_folder, "cache"))), notes);
        return (File.ReadAllText(outcome.Folder.File("metrics.json")), notes.Lines.Where(l => l.Contains("reused from the teacher cache", StringComparison.Ordinal)).ToList());
    }

    private static string Results(string metrics) =>
        System.Text.Json.Nodes.JsonNode.Parse(metrics)!.AsObject().Where(kv => kv.Key is "rows" or "teachers").Select(kv => kv.Value!.ToJsonString()).Aggregate("", string.Concat);

    [Fact]
    public void A_second_run_takes_its_teachers_from_the_cache_as_preflight_said_with_the_same_results_and_a_damaged_entry_is_trained_again()
    {
        var entry = ShortRuns.Shortened("tiny-table5", trainExamples: 300, epochs: 1);

        var (first, reusedFirst) = Run(entry, "first");
        var plan = Preflight.Run(entry, new RunOptions(Output: Path.Combine(_folder, "plan"), Teachers: new TeacherCache(Path.Combine(_folder, "cache"))), entry.Spec.Seed, new SilentProgress());
        var (second, reusedSecond) = Run(entry, "second");
        string damaged = Directory.GetFiles(Path.Combine(_folder, "cache", "teachers"), "targets.safetensors", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.WriteAllBytes(damaged, [.. File.ReadAllBytes(damaged).Select((b, i) => i == 200 ? (byte)(b ^ 0xFF) : b)]);
        var (third, reusedThird) = Run(entry, "third");
        var (other, reusedOther) = Run(entry.Tuned("FactsMrc", s => s with { LearningRate = 5e-4 }), "other");

        Assert.Empty(reusedFirst);
        Assert.Equal(["Teacher-FactsMrc-0", "Teacher-FactsMrc-1", "Teacher-FactsMrc-2"], plan.Estimates.Where(e => e.Kind == "Cached").Select(e => e.Stage));
        Assert.Equal(["  Teacher-FactsMrc-0", "  Teacher-FactsMrc-1", "  Teacher-FactsMrc-2"], reusedSecond.Select(l => l[..l.IndexOf(':')]));
        Assert.Equal(2, reusedThird.Count);
        Assert.Empty(reusedOther);
        Assert.Equal(Results(first), Results(second));
        Assert.Equal(Results(first), Results(third));
        Assert.NotEqual(Results(first), Results(other));
    }
}
