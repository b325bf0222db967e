using Road.Benchmarks;
using Road.Reporting;
using Road.Stages;
using Road.Training;

namespace Road.Pipeline;

/// <summary>What Preflight leaves a run: the data read and its features, the initial encoder, the facts for the manifest,
/// and the stage estimates.</summary>
public sealed record PreparedRun(DataCatalog Data, FeatureStore Features, InitialEncoder Initial, TeacherEncoders Teachers, RunFacts Facts, IReadOnlyList<StageEstimate> Estimates);

/// <summary>
/// <c>./build.sh Preflight --name X</c>, which RunExperiment runs first: every checkpoint and data file present and
/// verified, or missing with the command that fetches it (one error listing them all); then the checkpoint and every
/// dataset read, with the examples and features of each split; then the stages with their steps and an estimate of
/// time and GPU memory. Nothing is written, so a long run never dies an hour in on a missing file.
/// </summary>
public static class Preflight
{
    public static PreparedRun Run(ExperimentEntry entry, RunOptions options, int seed, ITrainingProgress progress)
    {
        CheckInputs(entry.Spec, progress);
        return Prepare(entry, options, seed, progress);
    }

    /// <summary>Lists every input with where it stands, and fails with one message naming every missing or damaged one
    /// (with its fetch command) and every declaration the data contradicts.</summary>
    public static void CheckInputs(ExperimentSpec spec, ITrainingProgress progress)
    {
        progress.Note("Inputs");
        var inputs = InputChecks.Of(spec);
        foreach (var input in inputs)
            progress.Note($"  {input.State.ToString().ToLowerInvariant(),-9} {input.What}: {input.Path}{(input.Detail.Length > 0 ? $" ({input.Detail})" : "")}");
        var commands = inputs.Where(i => i.Blocks && i.Fetch is not null).Select(i => i.Fetch!).Distinct().ToList();
        if (commands.Count > 0)
        {
            progress.Note("Fetch what is missing with:");
            foreach (string command in commands) progress.Note("  " + command);
        }
        DataCatalog.Validate(spec);
    }

    /// <summary>Reads the checkpoint and every dataset, counts examples and features, and estimates every stage.</summary>
    public static PreparedRun Prepare(ExperimentEntry entry, RunOptions options, int seed, ITrainingProgress progress)
    {
        var spec = entry.Spec;
        var data = new DataCatalog(spec, seed) { Strict = options.Strict };
        var facts = new RunFacts();
        var initial = new InitialEncoder(spec, data.Tokenizer);
        if (initial.Folder is { } checkpoint)
        {
            facts.Checkpoint(checkpoint, initial.Ignored);
            progress.Note($"Checkpoint {checkpoint}");
            foreach (var line in initial.DescribeIgnored()) progress.Note("  " + line);
        }
        var features = new FeatureStore(data);
        var teachers = new TeacherEncoders(spec, data);
        ReadData(spec, data, features, facts, progress);
        var rates = StepRates.Load(Path.Combine(options.Output, "benchmarks"), "cuda", options.Precision == Precision.BFloat16 ? "bf16" : "fp32");
        var plan = entry.Create(data).CreatePlan();
        var keys = options.Cache is null ? null : StageKeys.Of(spec, plan, StageGraph.Of(spec, plan), initial, teachers, data, seed, options.Device, options.Precision,
            options.Group?.Size ?? 1);
        var cached = plan.Stages.Select(s => s.Spec.Name).Where(s => keys is not null && options.Cache!.Holds(keys[s])).ToHashSet(StringComparer.Ordinal);
        var estimates = StageEstimates.Of(plan, spec, data, features, initial, teachers, rates, cached);
        foreach (var line in StageEstimates.Describe(estimates, initial.Config, rates)) progress.Note(line);
        return new PreparedRun(data, features, initial, teachers, facts, estimates);
    }

    // Reads every dataset and builds its features (or takes them from the cache), and says per split what was read,
    // skipped and built.
    private static void ReadData(ExperimentSpec spec, DataCatalog data, FeatureStore features, RunFacts facts, ITrainingProgress progress)
    {
        progress.Note("Data");
        foreach (var task in spec.Tasks)
        {
            var bound = data.Bind(task);
            foreach (string split in new[] { "train", "dev" })
            {
                if (data.Report(task, split) is not { } report) continue;
                int count = features.Count(bound, split);
                facts.Dataset(task.Name, split, report.ToJson(count));
                progress.Note("  " + report.Describe(task.Name, split, count, bound.Mrc is not null ? "windows" : "features"));
            }
        }
    }
}
