namespace Road.Data.Readers;

/// <summary>
/// QA-ZRE TSV (Levy et al. 2017), no header: relation, question template with XXX for the subject, subject, sentence,
/// then zero or more answers. No answer makes the question unanswerable; answers are found in the sentence by string
/// match, and a question none of whose answers occur is skipped and counted.
/// </summary>
public static class QaZreReader
{
    public static IEnumerable<MrcExample> Read(string path, ReaderReport report)
    {
        foreach (var (line, text) in DataFile.Lines(path))
        {
            var fields = text.Split('\t');
            if (fields.Length < 4)
                throw new RoadException($"{path}:{line}: expected relation, question template, subject, sentence and answers separated by tabs; found {fields.Length} fields.");
            if (!fields[1].Contains("XXX", StringComparison.Ordinal))
                report.Fault("template without XXX", $"{path}:{line}", $"\"{fields[1]}\" has no XXX for the subject");
            string question = fields[1].Replace("XXX", fields[2], StringComparison.Ordinal);
            string sentence = fields[3];
            var answers = new List<Answer>();
            foreach (var answer in fields[4..].Where(a => a.Length > 0))
            {
                int start = sentence.IndexOf(answer, StringComparison.Ordinal);
                if (start >= 0) answers.Add(new Answer(answer, start));
            }
            if (fields.Length > 4 && answers.Count == 0)
            {
                report.Skip("answer not in the sentence", $"{path}:{line}", $"none of {string.Join(", ", fields[4..])} occurs in the sentence");
                continue;
            }
            yield return new MrcExample($"{Path.GetFileName(path)}:{line}", question, sentence, answers);
        }
    }
}
