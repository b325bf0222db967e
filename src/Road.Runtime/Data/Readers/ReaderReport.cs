namespace Road.Data.Readers;

/// <summary>
/// What a reader met besides good records, counted by kind with the first few locations: faults in records it kept
/// (an answer not found at its offset), and records it skipped (an NLI pair without a gold label, a question id seen
/// before). In strict mode the first of either is an error.
/// </summary>
public sealed class ReaderReport(bool strict = false)
{
    private const int ExamplesKept = 3;
    private readonly SortedDictionary<string, (int Count, List<string> Where)> _faults = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (int Count, List<string> Where)> _skipped = new(StringComparer.Ordinal);

    public bool Strict { get; } = strict;

    /// <summary>Faults in records that were kept, by kind.</summary>
    public IReadOnlyDictionary<string, int> Counts => _faults.ToDictionary(kv => kv.Key, kv => kv.Value.Count);

    /// <summary>Records skipped, by cause.</summary>
    public IReadOnlyDictionary<string, int> Skipped => _skipped.ToDictionary(kv => kv.Key, kv => kv.Value.Count);

    /// <summary>Records a fault of <paramref name="kind"/> at <paramref name="location"/> (file and line or JSON path) in a record that is kept.</summary>
    public void Fault(string kind, string location, string detail) => Add(_faults, kind, location, detail, "the record is kept");

    /// <summary>Records that the record at <paramref name="location"/> is skipped, and why.</summary>
    public void Skip(string cause, string location, string detail) => Add(_skipped, cause, location, detail, "the record is skipped");

    private void Add(SortedDictionary<string, (int Count, List<string> Where)> tally, string kind, string location, string detail, string otherwise)
    {
        if (Strict) throw new RoadException($"{location}: {detail} (strict mode; without it, this is counted as \"{kind}\" and {otherwise}).");
        if (!tally.TryGetValue(kind, out var entry)) entry = (0, []);
        if (entry.Where.Count < ExamplesKept) entry.Where.Add($"{location}: {detail}");
        tally[kind] = (entry.Count + 1, entry.Where);
    }

    /// <summary>One line per kind: count and first locations.</summary>
    public IEnumerable<string> Describe() =>
        _skipped.Select(kv => $"skipped, {kv.Key}: {kv.Value.Count} (first: {string.Join("; ", kv.Value.Where)})")
            .Concat(_faults.Select(kv => $"{kv.Key}: {kv.Value.Count} (first: {string.Join("; ", kv.Value.Where)})"));
}
