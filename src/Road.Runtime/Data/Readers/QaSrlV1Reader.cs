namespace Road.Data.Readers;

/// <summary>
/// The QA-SRL 1.0 text format (He et al. 2015): a line "sentenceId TAB predicateCount", the tokenized sentence, then per
/// predicate a line "tokenIndex TAB verb TAB questionCount" followed by that many lines of seven question slots
/// ("_" for empty), "?", and the answers (several in one field separated by " ### "); blank lines between sentences.
/// Answers are found in the sentence by string match.
/// </summary>
public static class QaSrlV1Reader
{
    public static IEnumerable<MrcExample> Read(string path, ReaderReport report)
    {
        using var lines = DataFile.Lines(path).GetEnumerator();
        (int Line, string Text) Next(string expected) =>
            lines.MoveNext() ? lines.Current : throw new RoadException($"{path}: the file ends where {expected} was expected; it is truncated.");
        while (lines.MoveNext())
        {
            var (headerLine, header) = lines.Current;
            var head = header.Split('\t');
            if (head.Length != 2 || !int.TryParse(head[1], out int predicates))
                throw new RoadException($"{path}:{headerLine}: expected \"sentenceId<TAB>predicateCount\", found \"{header}\".");
            string sentence = Next("the sentence").Text;
            for (int p = 0; p < predicates; p++)
            {
                var (predicateLine, predicate) = Next("a predicate line");
                var fields = predicate.Split('\t');
                if (fields.Length != 3 || !int.TryParse(fields[2], out int questions))
                    throw new RoadException($"{path}:{predicateLine}: expected \"tokenIndex<TAB>verb<TAB>questionCount\", found \"{predicate}\".");
                for (int q = 0; q < questions; q++)
                {
                    var (line, text) = Next("a question line");
                    var slots = text.Split('\t');
                    if (slots.Length < 8 || slots[7] != "?")
                        throw new RoadException($"{path}:{line}: expected seven question slots, \"?\" and answers, found \"{text}\".");
                    string question = string.Join(" ", slots[..7].Where(s => s != "_")) + "?";
                    var answers = new List<Answer>();
                    var given = slots[8..].SelectMany(a => a.Split(" ### ")).Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
                    foreach (var answer in given)
                    {
                        int start = sentence.IndexOf(answer, StringComparison.Ordinal);
                        if (start < 0) report.Fault("answer not in the sentence", $"{path}:{line}", $"\"{answer}\" does not occur in the sentence");
                        else answers.Add(new Answer(answer, start));
                    }
                    if (given.Count > 0 && answers.Count == 0)
                    {
                        report.Skip("question without a usable answer", $"{path}:{line}", "none of its answers occurs in the sentence");
                        continue;
                    }
                    yield return new MrcExample($"{head[0]}:{fields[0]}:{q}", question, sentence, answers);
                }
            }
        }
    }
}
