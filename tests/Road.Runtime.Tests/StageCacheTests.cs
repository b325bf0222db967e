using Road.Pipeline;
using Road.Stages;
using Road.Training;

namespace Road.Tests;

/// <summary>Stages trained once and reused by later runs and experiments with the same inputs; a changed stage
/// is trained again with everything downstream of it, never a stale or damaged one reused.</summary>
public sealed class StageCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-stage-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private StageCache Cache => new(Path.Combine(_folder, "cache"));

    private (RunOutcome Outcome, List<string> Reused) Run(ExperimentEntry entry, string name)
    {
        var notes = new RecordedNotes();
        var outcome = ExperimentRunner.Run(entry, new RunOptions(Output: Path.Combine(_folder, name), Cache: Cache), notes);
        return (outcome, notes.Lines.Where(l => l.Contains("reused from the stage cache", StringComparison.Ordinal)).Select(l => l.Trim()[..l.Trim().IndexOf(':')]).ToList());
    }

    private static string Results(RunOutcome outcome) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!.AsObject()
            .Where(kv => kv.Key is "rows" or "teachers" or "training").Select(kv => kv.Value!.ToJsonString()).Aggregate("", string.Concat);

    [Fact]
    public void A_second_run_takes_every_stage_from_the_cache_as_preflight_said_and_a_changed_or_damaged_stage_is_trained_again()
    {
        // tiny-table5 shortened: three teachers, then five finetuning stages (single, and four distilling from the teachers).
        var entry = ShortRuns.Shortened("tiny-table5", trainExamples: 300, epochs: 1);
        string[] stages = ["Teacher-FactsMrc-0", "Teacher-FactsMrc-1", "Teacher-FactsMrc-2", "Single", "Ensemble", "Kd", "Annealing", "WeightedKd"];

        var (first, reusedFirst) = Run(entry, "first");
        var plan = Preflight.Run(entry, new RunOptions(Output: Path.Combine(_folder, "plan"), Cache: Cache), entry.Spec.Seed, new SilentProgress());
        var (second, reusedSecond) = Run(entry, "second");

        Assert.Empty(reusedFirst);
        Assert.Equal(stages, plan.Estimates.Where(e => e.Kind == "Cached").Select(e => e.Stage));
        Assert.Equal(stages, reusedSecond);
        Assert.Equal(Results(first), Results(second));
        foreach (string file in new[] { "stages/WeightedKd/encoder/model.safetensors", "stages/WeightedKd/losses.tsv", "stages/DistillTargets/FactsMrc-2.safetensors" })
            Assert.Equal(File.ReadAllBytes(first.Folder.File(file)), File.ReadAllBytes(second.Folder.File(file)));

        // One teacher's stored targets damaged: that teacher is trained again (to the same bytes); the rest reused.
        string damaged = Directory.GetFiles(Path.Combine(_folder, "cache", "stages"), "targets.safetensors", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.WriteAllBytes(damaged, [.. File.ReadAllBytes(damaged).Select((b, i) => i == 200 ? (byte)(b ^ 0xFF) : b)]);
        var (third, reusedThird) = Run(entry, "third");
        Assert.Equal(stages.Length - 1, reusedThird.Count);
        Assert.Equal(Results(first), Results(third));

        // Only the weighted-KD stage changed: it alone is trained; its teachers and the other rows are reused.
        var tuned = entry with { Spec = entry.Spec with { Stages = entry.Spec.Stages.Select(s => s.Row == "weighted-kd" ? s with { Settings = s.Settings with { LearningRate = 5e-4 } } : s).ToList() } };
        var (fourth, reusedFourth) = Run(tuned, "fourth");
        Assert.Equal(stages[..^1], reusedFourth);
        Assert.NotEqual(Results(first), Results(fourth));
    }
}
