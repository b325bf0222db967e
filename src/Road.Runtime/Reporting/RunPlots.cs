using System.Globalization;
using Road.Pipeline;
using Road.Stages;
using ScottPlot;

namespace Road.Reporting;

/// <summary>A plot written beside a report: what it shows, and its path relative to the report.</summary>
public sealed record PlotFile(string Title, string Path);

/// <summary>
/// A run's plots, drawn with ScottPlot into <c>plots/</c>: each training stage's loss per step with its learning rate
/// on a second axis (from the stage's <c>losses.tsv</c>), and the dev metrics of the paper-layout rows as grouped
/// bars, one group per dataset column; several runs' rows as their means with the standard deviation as error bars.
/// Figures are on the tables' scales: EM and F1 0-100, accuracy in percent.
/// </summary>
public static class RunPlots
{
    public const string Folder = "plots";
    private const int Width = 900, Height = 420;

    /// <summary>The plots of one run folder; the reports embed them in this order.</summary>
    public static List<PlotFile> Write(ExperimentSpec spec, RunFolder folder, IReadOnlyList<StageResult> results)
    {
        var plots = new List<PlotFile>();
        var rows = RowBars(spec, results.Where(r => r.Role == StageRole.Finetune && r.Row.Length > 0)
            .SelectMany(r => PaperTable.Metrics.Where(r.Metrics.ContainsKey).Select(m => (r.Row, r.Task, m, Scale(m, r.Metrics[m]), 0.0))).ToList());
        if (rows is not null) plots.Add(Save(rows, folder.File(Folder, "rows.png"), "Dev metrics per row", $"{Folder}/rows.png"));
        foreach (var result in results.Where(r => r.Training.Steps > 0))
        {
            string losses = folder.File("stages", result.Stage, StageContext.LossesFile);
            if (!File.Exists(losses)) continue;
            string name = $"training-{result.Stage}.png";
            plots.Add(Save(Training(result.Stage, losses), folder.File(Folder, name), $"{result.Stage}: loss and learning rate per step", $"{Folder}/{name}"));
        }
        return plots;
    }

    /// <summary>Several runs' rows: means, with one standard deviation as error bars; null without rows.</summary>
    public static PlotFile? WriteSpread(ExperimentSpec spec, IReadOnlyList<MetricSpread> spreads, string path, string relative)
    {
        var byMetric = spreads.ToDictionary(s => s.Metric, StringComparer.Ordinal);
        var cells = spec.Stages.Where(s => s.Row.Length > 0 && s.Kind != StageKind.MultiTask)
            .SelectMany(s => PaperTable.Metrics.Where(m => byMetric.ContainsKey($"rows.{s.Row}.{s.Target}.{m}"))
                .Select(m => byMetric[$"rows.{s.Row}.{s.Target}.{m}"] is var x ? (s.Row, s.Target, m, Scale(m, x.Mean), Scale(m, x.StandardDeviation)) : default))
            .ToList();
        var plot = RowBars(spec, cells);
        return plot is null ? null : Save(plot, path, $"Dev metrics per row: mean ± std over {spreads.Max(s => s.Runs)} runs", relative);
    }

    private static double Scale(string metric, double value) => metric == "accuracy" ? 100 * value : value;

    private static PlotFile Save(Plot plot, string path, string title, string relative)
    {
        Save(plot, path, Width, Height);
        return new PlotFile(title, relative);
    }

    /// <summary>Writes the plot as a PNG, atomically.</summary>
    internal static void Save(Plot plot, string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, plot.GetImageBytes(width, height, ImageFormat.Png)));
    }

    private static Plot Training(string stage, string lossesFile)
    {
        var lines = File.ReadAllLines(lossesFile).Skip(1).Select(l => l.Split('\t')).ToList();
        double Column(string[] line, int i) => double.Parse(line[i], CultureInfo.InvariantCulture);
        double[] steps = lines.Select(l => Column(l, 0)).ToArray();
        double[] losses = lines.Select(l => Column(l, 1)).ToArray();
        var plot = NewPlot($"{stage}: training");
        var loss = plot.Add.Scatter(steps, losses);
        loss.LegendText = "loss";
        loss.Color = Colors.C0.WithAlpha(0.35);
        // A short stage's few steps show as points; a long one's as a line.
        loss.MarkerSize = steps.Length <= 50 ? 6 : 0;
        // The mean of the last 20 steps, as the report's loss columns smooth it.
        var smoothed = plot.Add.ScatterLine(steps, losses.Select((_, i) => losses[Math.Max(0, i - 19)..(i + 1)].Average()).ToArray());
        smoothed.LegendText = "loss, mean of 20 steps";
        smoothed.Color = Colors.C0;
        smoothed.LineWidth = 2;
        plot.Axes.Bottom.Label.Text = "step";
        plot.Axes.Left.Label.Text = "loss";
        // Runs of Road before the learning rate was recorded have losses only.
        if (lines.All(l => l.Length > 2))
        {
            var rate = plot.Add.ScatterLine(steps, lines.Select(l => Column(l, 2)).ToArray());
            rate.LegendText = "learning rate (right axis)";
            rate.Axes.YAxis = plot.Axes.Right;
            rate.LinePattern = LinePattern.Dashed;
            rate.Color = Colors.C1;
            plot.Axes.Right.Label.Text = "learning rate";
        }
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    // Grouped bars: a group per dataset column and metric (as the paper table heads them), a colour per row.
    private static Plot? RowBars(ExperimentSpec spec, IReadOnlyList<(string Row, string Task, string Metric, double Value, double Error)> cells)
    {
        if (cells.Count == 0) return null;
        string Column((string Row, string Task, string Metric, double, double) c) =>
            $"{spec.Tasks.FirstOrDefault(t => t.Name == c.Task)?.Column ?? c.Task} {(c.Metric == "exact" ? "EM" : c.Metric == "f1" ? "F1" : "Acc")}";
        var columns = cells.Select(Column).Distinct().ToList();
        var rows = cells.Select(c => c.Row).Distinct().ToList();
        var plot = NewPlot(spec.Name);
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        foreach (var cell in cells)
        {
            int group = columns.IndexOf(Column(cell)), row = rows.IndexOf(cell.Row);
            bars.Add(new Bar
            {
                Position = group * (rows.Count + 1) + row,
                Value = cell.Value,
                Error = cell.Error,
                FillColor = palette.GetColor(row),
                Label = cell.Value.ToString("0.0", CultureInfo.InvariantCulture),
            });
        }
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 10;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            columns.Select((_, g) => g * (rows.Count + 1) + (rows.Count - 1) / 2.0).ToArray(), columns.ToArray());
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top); // scores start at 0 even where a spread reaches below
        plot.Axes.Left.Label.Text = "dev (EM, F1, accuracy %)";
        for (int r = 0; r < rows.Count; r++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = rows[r], FillColor = palette.GetColor(r) });
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    internal static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        return plot;
    }
}
