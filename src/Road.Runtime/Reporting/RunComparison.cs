using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScottPlot;

namespace Road.Reporting;

/// <summary>One side of a comparison: a run, or every completed run of an experiment; each paper-layout cell
/// ("row · dataset metric") with its value in every run.</summary>
public sealed record ComparedRuns(string Label, IReadOnlyDictionary<string, IReadOnlyList<double>> Cells);

/// <summary>
/// <c>./build.sh CompareRuns</c>: the paper-layout rows of several runs or experiments side by side, from their
/// metrics.json files, so a user sees what changed without opening JSON. A run folder counts as itself; an
/// experiment folder (runs/&lt;experiment&gt;) as the mean ± standard deviation of its completed runs. Cells are on
/// the tables' scales (EM and F1 0-100, accuracy in percent); with two sides, a last column gives the difference.
/// </summary>
public static class RunComparison
{
    public static IReadOnlyList<ComparedRuns> Read(IReadOnlyList<string> paths)
    {
        if (paths.Count < 2) throw new RoadException("--runs needs two or more run or experiment folders, comma-separated.");
        return paths.Select(ReadOne).ToList();
    }

    private static ComparedRuns ReadOne(string path)
    {
        string metrics = Path.Combine(path, "metrics.json");
        if (File.Exists(metrics))
        {
            var run = Parse(metrics);
            return new ComparedRuns($"{run.Experiment} {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", run.Cells.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)[kv.Value]));
        }
        var runs = Directory.Exists(path)
            ? Directory.GetDirectories(path).Order(StringComparer.Ordinal).Select(d => Path.Combine(d, "metrics.json")).Where(File.Exists).Select(Parse).ToList()
            : [];
        if (runs.Count == 0) throw new RoadException($"--runs {path}: neither a run folder (no metrics.json) nor an experiment folder with completed runs.");
        var cells = runs.SelectMany(r => r.Cells.Keys).Distinct().ToDictionary(key => key,
            key => (IReadOnlyList<double>)runs.Where(r => r.Cells.ContainsKey(key)).Select(r => r.Cells[key]).ToList());
        return new ComparedRuns($"{runs[0].Experiment} ({runs.Count} runs)", cells);
    }

    // metrics.json's rows as "row · dataset metric" cells, in file order.
    private static (string Experiment, Dictionary<string, double> Cells) Parse(string file)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file)) ?? throw new RoadException($"{file}: empty.");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{file}:{(e.LineNumber ?? 0) + 1}: not valid JSON.");
        }
        var cells = new Dictionary<string, double>(StringComparer.Ordinal);
        if (root["rows"] is JsonObject rows)
            foreach (var (row, tasks) in rows)
            foreach (var (task, values) in tasks!.AsObject())
            foreach (string metric in PaperTable.Metrics)
                if (values![metric] is JsonValue value && value.TryGetValue(out double number))
                    cells[$"{row} · {task} {Heading(metric)}"] = metric == "accuracy" ? 100 * number : number;
        return (root["experiment"]?.GetValue<string>() ?? Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))!, cells);
    }

    private static string Heading(string metric) => metric switch { "exact" => "EM", "f1" => "F1", _ => "Acc" };

    public static string Table(IReadOnlyList<ComparedRuns> sides)
    {
        var keys = sides.SelectMany(s => s.Cells.Keys).Distinct().ToList();
        bool difference = sides.Count == 2;
        var text = new StringBuilder();
        text.Append("| row · metric | ").Append(string.Join(" | ", sides.Select(s => s.Label))).AppendLine(difference ? " | Δ |" : " |");
        text.Append("|---|").Append(string.Concat(sides.Select(_ => "---:|"))).AppendLine(difference ? "---:|" : "");
        foreach (string key in keys)
        {
            text.Append("| ").Append(key).Append(" | ").Append(string.Join(" | ", sides.Select(s => Cell(s, key))));
            if (difference) text.Append(" | ").Append(sides.All(s => s.Cells.ContainsKey(key)) ? (sides[1].Cells[key].Average() - sides[0].Cells[key].Average()).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–");
            text.AppendLine(" |");
        }
        return text.ToString();
    }

    private static string Cell(ComparedRuns side, string key)
    {
        if (!side.Cells.TryGetValue(key, out var values)) return "–";
        string mean = values.Average().ToString("0.00", CultureInfo.InvariantCulture);
        return values.Count == 1 ? mean : $"{mean} ± {RunsSummary.StandardDeviation(values).ToString("0.00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The cells as grouped bars, a colour per side, the spread of several runs as error bars.</summary>
    public static void Plot(IReadOnlyList<ComparedRuns> sides, string path)
    {
        var keys = sides.SelectMany(s => s.Cells.Keys).Distinct().ToList();
        var plot = RunPlots.NewPlot("Runs compared");
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (int k = 0; k < keys.Count; k++)
        for (int s = 0; s < sides.Count; s++)
            if (sides[s].Cells.TryGetValue(keys[k], out var values))
                bars.Add(new Bar
                {
                    Position = k * (sides.Count + 1) + s,
                    Value = values.Average(),
                    Error = values.Count > 1 ? RunsSummary.StandardDeviation(values) : 0,
                    FillColor = palette.GetColor(s),
                });
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            keys.Select((_, k) => k * (sides.Count + 1) + (sides.Count - 1) / 2.0).ToArray(), keys.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 8 * keys.Max(k => k.Length) + 20; // room for the slanted labels
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top);
        plot.Axes.Left.Label.Text = "dev (EM, F1, accuracy %)";
        for (int s = 0; s < sides.Count; s++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = sides[s].Label, FillColor = palette.GetColor(s) });
        plot.ShowLegend(Edge.Top); // below the plot it would cover the slanted tick labels
        RunPlots.Save(plot, path, Math.Max(900, 30 * keys.Count * (sides.Count + 1)), 720);
    }
}
