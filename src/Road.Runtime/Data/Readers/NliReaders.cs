namespace Road.Data.Readers;

/// <summary>The three NLI labels in Road's order (MultiNLI's and SNLI's gold_label strings).</summary>
public static class NliLabels
{
    public static readonly IReadOnlyList<string> Names = ["entailment", "neutral", "contradiction"];

    public static int? Index(string label) => Names.ToList().IndexOf(label) is var i and >= 0 ? i : null;
}

/// <summary>
/// MultiNLI and SNLI JSONL (<c>sentence1</c>, <c>sentence2</c>, <c>gold_label</c>, <c>pairID</c>). A gold label of "-"
/// (no annotator consensus, SNLI) is skipped and counted, as the datasets' authors advise.
/// </summary>
public static class NliJsonlReader
{
    public static IEnumerable<PairExample> Read(string path, ReaderReport report)
    {
        foreach (var (root, at) in JsonLines.Objects(path))
        {
            string gold = at.String(root, "gold_label");
            if (gold == "-")
            {
                report.Skip("no gold label \"-\"", at.ToString(), "annotators did not agree");
                continue;
            }
            int label = NliLabels.Index(gold) ?? throw at.Child("gold_label").Expected("entailment, neutral, contradiction or -", root.GetProperty("gold_label"));
            yield return new PairExample(at.OptionalString(root, "pairID") ?? $"{at.Line}", at.String(root, "sentence1"), at.String(root, "sentence2"), label);
        }
    }
}

/// <summary>
/// GLUE TSV files with a header row (MNLI, QQP). Fields are split on tabs only: GLUE's files are not CSV-quoted (their
/// texts contain quotes), so a CSV parser would misread them. Columns are found by their header names.
/// </summary>
public static class GlueTsv
{
    public static IEnumerable<(int Line, string[] Fields, Func<string, int> Column)> Rows(string path, params string[] required)
    {
        using var lines = DataFile.Lines(path).GetEnumerator();
        if (!lines.MoveNext()) yield break;
        var header = lines.Current.Text.Split('\t');
        var missing = required.Where(r => !header.Contains(r)).ToList();
        if (missing.Count > 0) throw new RoadException($"{path}:1: the header lacks {string.Join(", ", missing)}; expected GLUE's columns ({string.Join(", ", required)}).");
        int Column(string name) => Array.IndexOf(header, name);
        while (lines.MoveNext()) yield return (lines.Current.Line, lines.Current.Text.Split('\t'), Column);
    }
}

/// <summary>GLUE's MNLI TSV (<c>sentence1</c>, <c>sentence2</c>, <c>gold_label</c> among others).</summary>
public static class GlueMnliReader
{
    public static IEnumerable<PairExample> Read(string path, ReaderReport report)
    {
        foreach (var (line, fields, column) in GlueTsv.Rows(path, "pairID", "sentence1", "sentence2", "gold_label"))
        {
            int last = new[] { "pairID", "sentence1", "sentence2", "gold_label" }.Max(column);
            if (fields.Length <= last)
            {
                report.Skip("missing fields", $"{path}:{line}", $"{fields.Length} fields, the header has more");
                continue;
            }
            int label = NliLabels.Index(fields[column("gold_label")])
                ?? throw new RoadException($"{path}:{line}: gold_label should be entailment, neutral or contradiction, found \"{fields[column("gold_label")]}\".");
            yield return new PairExample(fields[column("pairID")], fields[column("sentence1")], fields[column("sentence2")], label);
        }
    }
}

/// <summary>GLUE's QQP TSV (<c>id qid1 qid2 question1 question2 is_duplicate</c>); rows with missing fields are skipped and counted.</summary>
public static class GlueQqpReader
{
    public static IEnumerable<PairExample> Read(string path, ReaderReport report)
    {
        foreach (var (line, fields, column) in GlueTsv.Rows(path, "id", "question1", "question2", "is_duplicate"))
        {
            if (fields.Length < 6 || fields.Any(string.IsNullOrWhiteSpace))
            {
                report.Skip("missing fields", $"{path}:{line}", $"expected 6 non-empty fields, found {fields.Count(f => f.Length > 0)}");
                continue;
            }
            string duplicate = fields[column("is_duplicate")];
            if (duplicate is not ("0" or "1")) throw new RoadException($"{path}:{line}: is_duplicate should be 0 or 1, found \"{duplicate}\".");
            yield return new PairExample(fields[column("id")], fields[column("question1")], fields[column("question2")], duplicate[0] - '0');
        }
    }
}
