using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Road.Reporting;

/// <summary>One metric over several runs (seeds): mean and sample standard deviation, as papers report them.</summary>
public sealed record MetricSpread(string Metric, double Mean, double StandardDeviation, int Runs);

/// <summary>
/// <c>--runs K</c>: the results metrics of K runs of one experiment (seeds S, S+1, ...), each metric of "tasks" and
/// "rows" as mean and standard deviation; written next to the run folders, and printed as the paper's table of means
/// (the paper averages five runs) followed by every metric.
/// </summary>
public static class RunsSummary
{
    public static List<MetricSpread> Of(IReadOnlyList<string> metricsJson)
    {
        var values = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var text in metricsJson)
        {
            var root = JsonNode.Parse(text)!;
            foreach (var section in new[] { "tasks", "rows" })
                if (root[section] is JsonObject results) Collect(results, section, values);
        }
        return values.Select(kv => new MetricSpread(kv.Key, kv.Value.Average(), StandardDeviation(kv.Value), kv.Value.Count)).ToList();
    }

    public static string Json(string experiment, IReadOnlyList<int> seeds, IReadOnlyList<MetricSpread> spreads)
    {
        var metrics = new JsonObject(spreads.Select(s => KeyValuePair.Create(s.Metric, (JsonNode?)new JsonObject
        {
            ["mean"] = s.Mean, ["std"] = s.StandardDeviation, ["runs"] = s.Runs,
        })));
        return new JsonObject { ["experiment"] = experiment, ["seeds"] = new JsonArray(seeds.Select(s => (JsonNode?)s).ToArray()), ["metrics"] = metrics }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The rows of the experiment's paper table as mean ± standard deviation over the runs; empty when the
    /// experiment declares no rows.</summary>
    public static string PaperLayout(Road.Pipeline.ExperimentSpec spec, IReadOnlyList<MetricSpread> spreads)
    {
        var byMetric = spreads.ToDictionary(s => s.Metric, StringComparer.Ordinal);
        var entries = spec.Stages.Where(s => s.Row.Length > 0 && s.Kind != Road.Pipeline.StageKind.MultiTask)
            .Select(s => new TableEntry(s.Row, s.Target, s.Name, PaperTable.Metrics
                .Where(m => byMetric.ContainsKey($"rows.{s.Row}.{s.Target}.{m}"))
                .ToDictionary(m => m, m => byMetric[$"rows.{s.Row}.{s.Target}.{m}"] is var x
                    ? $"{PaperTable.Format(m, x.Mean)} ± {PaperTable.Format(m, x.StandardDeviation)}" : "")))
            .Where(e => e.Cells.Count > 0)
            .ToList();
        return entries.Count == 0 ? "" : PaperTable.Render(spec, entries);
    }

    public static string Table(IReadOnlyList<MetricSpread> spreads)
    {
        var text = new StringBuilder("| metric | mean | std | runs |\n|---|---:|---:|---:|\n");
        foreach (var s in spreads.Where(s => !s.Metric.EndsWith("total", StringComparison.OrdinalIgnoreCase)))
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {s.Metric} | {s.Mean:0.00} | {s.StandardDeviation:0.00} | {s.Runs} |"));
        return text.ToString();
    }

    private static void Collect(JsonNode node, string path, SortedDictionary<string, List<double>> values)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj) if (child is not null) Collect(child, $"{path}.{key}", values);
        }
        else if (node is JsonValue value && value.TryGetValue(out double number))
        {
            if (!values.TryGetValue(path, out var list)) values[path] = list = [];
            list.Add(number);
        }
    }

    /// <summary>The sample standard deviation (n - 1), as papers report a spread over runs; 0 for one value.</summary>
    internal static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
