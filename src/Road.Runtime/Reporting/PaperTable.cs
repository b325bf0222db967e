using System.Globalization;
using System.Text;
using Road.Pipeline;

namespace Road.Reporting;

/// <summary>One result cell set of a paper table: a row, the dataset and stage it comes from, and its metrics' texts
/// (<c>exact</c>, <c>f1</c>, <c>accuracy</c>).</summary>
public sealed record TableEntry(string Row, string Task, string Stage, IReadOnlyDictionary<string, string> Cells);

/// <summary>
/// The paper's table layout: one line per row (model variant), one column per dataset metric (EM and F1 for MRC,
/// accuracy), datasets headed by their labels (two datasets with one label share a column), and the paper's figure in
/// parentheses where the stage declares it. One run's report and the summary of several runs both lay out this way.
/// </summary>
public static class PaperTable
{
    public static readonly IReadOnlyList<string> Metrics = ["exact", "f1", "accuracy"];

    public static string Render(ExperimentSpec spec, IReadOnlyList<TableEntry> entries)
    {
        string Column(TableEntry e) => spec.Tasks.FirstOrDefault(t => t.Name == e.Task)?.Column ?? e.Task;
        var columns = entries.SelectMany(e => Metrics.Where(e.Cells.ContainsKey).Select(m => (Column: Column(e), Metric: m))).Distinct().ToList();
        bool anyPaper = false;
        string Cell(string row, (string Column, string Metric) c)
        {
            var entry = entries.FirstOrDefault(e => e.Row == row && Column(e) == c.Column && e.Cells.ContainsKey(c.Metric));
            if (entry is null) return "–";
            var paper = spec.Stages.FirstOrDefault(s => s.Name == entry.Stage)?.Paper;
            double? figure = c.Metric switch { "exact" => paper?.Em, "f1" => paper?.F1, _ => paper?.Accuracy / 100 };
            if (figure is null) return entry.Cells[c.Metric];
            anyPaper = true;
            return $"{entry.Cells[c.Metric]} ({Format(c.Metric, figure.Value)})";
        }
        var text = new StringBuilder();
        text.AppendLine("| row | " + string.Join(" | ", columns.Select(c => $"{c.Column} {(c.Metric == "exact" ? "EM" : c.Metric == "f1" ? "F1" : "Acc")}")) + " |");
        text.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        foreach (var row in entries.Select(e => e.Row).Distinct())
            text.AppendLine($"| {row} | {string.Join(" | ", columns.Select(c => Cell(row, c)))} |");
        if (anyPaper) text.AppendLine().AppendLine("In parentheses: the paper's figure.");
        return text.ToString();
    }

    /// <summary>EM and F1 as the official script prints them (0-100), accuracy (0-1) as a percentage.</summary>
    public static string Format(string metric, double value) =>
        metric == "accuracy" ? (100 * value).ToString("0.00", CultureInfo.InvariantCulture) + "%" : value.ToString("0.00", CultureInfo.InvariantCulture);
}
