using System.Text.Json.Nodes;
using Road.Data.Readers;

namespace Road.Data;

/// <summary>
/// What reading one split of a dataset met: the examples used, the records skipped by cause (by the reader, and
/// training examples no answer of which is at its offset), and the faults in records that were kept.
/// </summary>
public sealed class SplitReport(string source, bool strict)
{
    private readonly SortedDictionary<string, int> _unusable = new(StringComparer.Ordinal);

    /// <summary>The file read, or the toy task generated.</summary>
    public string Source { get; } = source;

    public ReaderReport Reader { get; } = new(strict);

    public int Used { get; private set; }

    public void Use(int count) => Used += count;

    /// <summary>A record the reader kept but training cannot use.</summary>
    public void Unusable(string cause) => _unusable[cause] = _unusable.GetValueOrDefault(cause) + 1;

    public IReadOnlyDictionary<string, int> Skipped =>
        Reader.Skipped.Concat(_unusable).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);

    public int Read => Used + Skipped.Values.Sum();

    public JsonObject ToJson(int features) => new()
    {
        ["source"] = Source,
        ["read"] = Read,
        ["used"] = Used,
        ["skipped"] = new JsonObject(Skipped.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["faults"] = new JsonObject(Reader.Counts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["features"] = features,
    };

    /// <summary>One line: read, skipped by cause, used, features; then the faults of kept records.</summary>
    public string Describe(string dataset, string split, int features, string featureName)
    {
        var skipped = Skipped;
        string skips = skipped.Count == 0 ? "" : $", {skipped.Values.Sum()} skipped ({string.Join(", ", skipped.Select(kv => $"{kv.Key}: {kv.Value}"))})";
        string faults = Reader.Counts.Count == 0 ? "" : $"; kept with faults: {string.Join(", ", Reader.Counts.Select(kv => $"{kv.Key}: {kv.Value}"))}";
        return $"{dataset} {split}: {Read} read{skips}, {Used} used, {features} {featureName}{faults}";
    }
}
