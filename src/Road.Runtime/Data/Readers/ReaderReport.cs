namespace Road.Data.Readers;

/// <summary>
/// What a reader met besides good records: recoverable faults (an answer not found at its offset, an empty review),
/// counted by kind with the first few locations, and skipped records. In strict mode the first fault is an error.
/// </summary>
public sealed class ReaderReport(bool strict = false)
{
    private const int ExamplesKept = 3;
    private readonly SortedDictionary<string, (int Count, List<string> Where)> _faults = new(StringComparer.Ordinal);

    public bool Strict { get; } = strict;

    public IReadOnlyDictionary<string, int> Counts => _faults.ToDictionary(kv => kv.Key, kv => kv.Value.Count);

    /// <summary>Records a fault of <paramref name="kind"/> at <paramref name="location"/> (file and line or JSON path).</summary>
    public void Fault(string kind, string location, string detail)
    {
        if (Strict) throw new RoadException($"{location}: {detail} (strict mode; without it, this is counted as \"{kind}\" and the record is kept or skipped).");
        if (!_faults.TryGetValue(kind, out var entry)) entry = (0, []);
        if (entry.Where.Count < ExamplesKept) entry.Where.Add($"{location}: {detail}");
        _faults[kind] = (entry.Count + 1, entry.Where);
    }

    /// <summary>One line per kind: count and first locations.</summary>
    public IEnumerable<string> Describe() =>
        _faults.Select(kv => $"{kv.Key}: {kv.Value.Count} (first: {string.Join("; ", kv.Value.Where)})");
}
