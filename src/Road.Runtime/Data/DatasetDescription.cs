using System.Text;
using System.Text.Json.Nodes;
using Road.Data.Readers;

namespace Road.Data;

/// <summary>The counts a user checks after a download: examples (questions for MRC), answerable and unanswerable
/// questions, examples per label, QuAC dialogs, and the faults the readers counted.</summary>
public sealed record DatasetCounts(long Examples, long? Answerable, long? Unanswerable, IReadOnlyDictionary<string, long>? Labels, long? Dialogs)
{
    public static DatasetCounts Of(DatasetContents contents)
    {
        if (contents.Questions is { } questions)
        {
            long examples = 0, answerable = 0;
            var dialogs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var q in questions)
            {
                examples++;
                if (!q.IsImpossible) answerable++;
                if (q.Turn is { } turn) dialogs.Add(turn.DialogId);
            }
            return new DatasetCounts(examples, answerable, examples - answerable, null, dialogs.Count > 0 ? dialogs.Count : null);
        }
        var labels = contents.LabelNames.ToDictionary(l => l, _ => 0L, StringComparer.Ordinal);
        long count = 0;
        foreach (int label in contents.Pairs?.Select(p => p.Label) ?? contents.Texts!.Select(t => t.Label))
        {
            count++;
            labels[contents.LabelNames[label]]++;
        }
        return new DatasetCounts(count, null, null, labels, null);
    }

    public DatasetCounts Plus(DatasetCounts other) => new(
        Examples + other.Examples,
        Answerable is null ? null : Answerable + other.Answerable,
        Unanswerable is null ? null : Unanswerable + other.Unanswerable,
        Labels?.ToDictionary(kv => kv.Key, kv => kv.Value + other.Labels![kv.Key], StringComparer.Ordinal),
        Dialogs is null ? null : Dialogs + other.Dialogs);
}

/// <summary><c>./build.sh DescribeData</c>: counts per file and in total for a file or every file of a folder.</summary>
public sealed record DatasetDescription(string Format, IReadOnlyList<(string File, DatasetCounts Counts)> Files, DatasetCounts Total, ReaderReport Report)
{
    public static DatasetDescription Describe(string format, string path, bool strict = false)
    {
        if (!DatasetFormats.Ids.Contains(format)) throw new RoadException($"unknown format \"{format}\"; formats: {string.Join(", ", DatasetFormats.Ids)}.");
        var files = Directory.Exists(path)
            ? Directory.GetFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : File.Exists(path) ? [path] : throw new RoadException($"{path}: no such file or folder.");
        if (files.Count == 0) throw new RoadException($"{path}: the folder has no files.");
        var report = new ReaderReport(strict);
        var counts = files.Select(f => (f, DatasetCounts.Of(DatasetFormats.Read(format, f, report)))).ToList();
        return new DatasetDescription(format, counts, counts.Select(c => c.Item2).Aggregate((a, b) => a.Plus(b)), report);
    }

    /// <summary>One JSON object with exactly the keys files, examples, answerable, unanswerable, labels, dialogs
    /// (those that do not apply to the format omitted).</summary>
    public string ToJson()
    {
        var json = new JsonObject { ["files"] = Files.Count, ["examples"] = Total.Examples };
        if (Total.Answerable is { } a) json["answerable"] = a;
        if (Total.Unanswerable is { } u) json["unanswerable"] = u;
        if (Total.Labels is { } labels) json["labels"] = new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        if (Total.Dialogs is { } d) json["dialogs"] = d;
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var (file, counts) in Files) text.AppendLine($"{file}: {Line(counts)}");
        if (Files.Count > 1) text.AppendLine($"total ({Files.Count} files): {Line(Total)}");
        foreach (var fault in Report.Describe()) text.AppendLine($"  {fault}");
        return text.ToString();
    }

    private static string Line(DatasetCounts c)
    {
        var parts = new List<string> { $"{c.Examples} examples" };
        if (c.Answerable is { } a) parts.Add($"{a} answerable, {c.Unanswerable} unanswerable");
        if (c.Dialogs is { } d) parts.Add($"{d} dialogs");
        if (c.Labels is { } labels) parts.Add("labels " + string.Join(", ", labels.Select(kv => $"{kv.Key}: {kv.Value}")));
        return string.Join("; ", parts);
    }
}
