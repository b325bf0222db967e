using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Road.Pipeline;
using Road.Stages;

namespace Road.Reporting;

/// <summary>The files a finished run leaves: <c>manifest.json</c>, <c>metrics.json</c> and <c>report.md</c>.</summary>
public static class RunDocuments
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A document of the run folder as Road writes them: indented, enums by name, text unescaped.</summary>
    public static string ToJson(JsonNode node) => node.ToJsonString(Json) + "\n";

    /// <summary>The resolved declaration as the manifest records it ($.config).</summary>
    public static JsonNode? Config(ExperimentSpec spec) => JsonSerializer.SerializeToNode(spec, Json);

    /// <summary>Only results, never times or paths, so two runs with one seed on one machine give identical bytes.</summary>
    public static string Metrics(ExperimentSpec spec, int seed, IReadOnlyList<StageResult> results)
    {
        var tasks = new JsonObject();
        var rows = new JsonObject();
        var teachers = new JsonObject();
        var pretraining = new JsonObject();
        var training = new JsonObject();
        foreach (var r in results)
        {
            var metrics = new JsonObject(r.Metrics.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
            switch (r.Role)
            {
                case StageRole.Teacher:
                    teachers[r.Stage] = metrics;
                    break;
                case StageRole.MultiTask:
                    pretraining[r.Stage] = metrics;
                    break;
                case StageRole.Finetune when r.Row.Length > 0:
                    if (rows[r.Row] is not JsonObject row) rows[r.Row] = row = new JsonObject();
                    row[r.Task] = metrics;
                    break;
                default:
                    tasks[r.Task] = metrics;
                    break;
            }
            if (r.Training.Steps == 0) continue;
            training[r.Stage] = new JsonObject
            {
                ["task"] = r.Task,
                ["steps"] = r.Training.Steps,
                ["first_loss"] = r.Training.FirstLoss,
                ["last_loss"] = r.Training.LastLoss,
            };
        }
        var root = new JsonObject { ["experiment"] = spec.Name, ["seed"] = seed };
        if (tasks.Count > 0) root["tasks"] = tasks;
        if (rows.Count > 0) root["rows"] = rows;
        if (teachers.Count > 0) root["teachers"] = teachers;
        if (pretraining.Count > 0) root["pretraining"] = pretraining;
        root["training"] = training;
        return root.ToJsonString(Json) + "\n";
    }

    public static string Manifest(ExperimentSpec spec, RunFolder folder, int seed, RunOptions options, DateTime startedUtc, DateTime? finishedUtc, string status, RunFacts facts)
    {
        var manifest = new JsonObject
        {
            ["experiment"] = spec.Name,
            ["run_id"] = folder.RunId,
            ["status"] = status,
            ["seed"] = seed,
            ["device"] = options.Device,
            ["precision"] = options.Precision.ToString(),
            ["started_utc"] = startedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["finished_utc"] = finishedUtc?.ToString("O", CultureInfo.InvariantCulture),
            ["git_commit"] = GitCommit(),
            ["invocation"] = new JsonObject
            {
                ["smoke"] = options.Smoke,
                ["strict"] = options.Strict,
                ["checkpoint_every"] = options.CheckpointEvery,
                ["reuse"] = options.Cache is not null,
            },
            ["config"] = Config(spec),
            ["data"] = new JsonObject(spec.Tasks.Select(t => KeyValuePair.Create(t.Name, (JsonNode?)DataIdentity(t)))),
            ["packages"] = new JsonObject
            {
                ["Road.Runtime"] = Version(typeof(RunDocuments).Assembly),
                ["TorchSharp"] = Version(typeof(TorchSharp.torch).Assembly),
                ["dotnet"] = RuntimeInformation.FrameworkDescription,
            },
            ["machine"] = new JsonObject
            {
                ["os"] = RuntimeInformation.OSDescription,
                ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
                ["processors"] = Environment.ProcessorCount,
            },
        };
        foreach (var (key, value) in facts.Fields()) manifest[key] = value;
        return manifest.ToJsonString(Json) + "\n";
    }

    public static string Report(ExperimentSpec spec, RunFolder folder, int seed, string device, IReadOnlyList<StageResult> results, IReadOnlyList<PlotFile> plots)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {spec.Name}");
        text.AppendLine();
        if (spec.Description.Length > 0) text.AppendLine(spec.Description).AppendLine();
        text.AppendLine($"Run `{folder.RunId}`, seed {seed}, device {device}.");
        text.AppendLine();
        var rowResults = results.Where(r => r.Role == StageRole.Finetune && r.Row.Length > 0).ToList();
        if (rowResults.Count > 0)
            text.Append(PaperTable.Render(spec, rowResults.Select(r => new TableEntry(r.Row, r.Task, r.Stage,
                PaperTable.Metrics.Where(r.Metrics.ContainsKey).ToDictionary(m => m, m => PaperTable.Format(m, r.Metrics[m])))).ToList())).AppendLine();
        var plain = results.Where(r => r.Role != StageRole.MultiTask && !rowResults.Contains(r)).ToList();
        if (plain.Count > 0)
        {
            text.AppendLine("| stage | dataset | metric | dev |");
            text.AppendLine("|---|---|---|---:|");
            foreach (var r in plain)
            foreach (var name in HeadlineMetrics(r))
                text.AppendLine($"| {r.Stage} | {r.Task} | {name} | {PaperTable.Format(name, r.Metrics[name])} |");
            text.AppendLine();
        }
        text.Append(ModelComparison(results));
        text.AppendLine("| stage | dataset | steps | loss (first 20 steps) | loss (last 20 steps) |");
        text.AppendLine("|---|---|---:|---:|---:|");
        foreach (var r in results.Where(r => r.Training.Steps > 0))
            text.AppendLine(FormattableString.Invariant($"| {r.Stage} | {r.Task} | {r.Training.Steps} | {r.Training.FirstLoss:0.0000} | {r.Training.LastLoss:0.0000} |"));
        if (plots.Count == 0) return text.ToString();
        text.AppendLine().AppendLine("## Plots").AppendLine();
        foreach (var plot in plots) text.AppendLine($"![{plot.Title}]({plot.Path})").AppendLine();
        return text.ToString();
    }

    /// <summary>A report as the console shows it: the tables, and where the plots are instead of their links.</summary>
    public static string ForConsole(string report, RunFolder folder)
    {
        int plots = report.IndexOf("\n## Plots\n", StringComparison.Ordinal);
        return plots < 0 ? report : report[..(plots + 1)] + $"\nPlots: {folder.File(RunPlots.Folder)}\n";
    }

    // Students and their teachers side by side, when a run has teachers: each model's encoder, size, inference speed
    // and first two headline metrics.
    private static string ModelComparison(IReadOnlyList<StageResult> results)
    {
        var models = results.Where(r => r.Model is not null && r.Role != StageRole.MultiTask).ToList();
        if (!models.Any(r => r.Role == StageRole.Teacher)) return "";
        var metrics = models.SelectMany(r => HeadlineMetrics(r).Take(2)).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine($"| model | dataset | encoder | parameters | inference features/s | {string.Join(" | ", metrics)} |");
        text.AppendLine($"|---|---|---|---:|---:|{string.Concat(metrics.Select(_ => "---:|"))}");
        foreach (var r in models)
        {
            string name = r.Role != StageRole.Teacher && r.Row.Length > 0 ? r.Row : r.Stage;
            var m = r.Model!;
            text.AppendLine(FormattableString.Invariant($"| {name} | {r.Task} | {m.Encoder} | {m.Parameters:N0} | {(m.FeaturesPerSecond > 0 ? m.FeaturesPerSecond.ToString("0", CultureInfo.InvariantCulture) : "-")} | ")
                + string.Join(" | ", metrics.Select(k => r.Metrics.TryGetValue(k, out double v) ? PaperTable.Format(k, v) : "-")) + " |");
        }
        return text.AppendLine().ToString();
    }

    private static IEnumerable<string> HeadlineMetrics(StageResult r) =>
        new[] { "exact", "f1", "HasAns_f1", "NoAns_f1", "accuracy" }.Where(r.Metrics.ContainsKey);


    private static JsonNode DataIdentity(TaskSpec task) => task.Format == DataFormat.Toy
        ? new JsonObject { ["generated"] = task.Train, ["train_examples"] = task.MaxTrainExamples }
        : new JsonObject { ["train"] = task.Train, ["dev"] = task.Dev };

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";

    private static string? GitCommit()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["rev-parse", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            string commit = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
