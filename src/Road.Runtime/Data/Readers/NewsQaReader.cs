using System.Text.Json;

namespace Road.Data.Readers;

/// <summary>
/// NewsQA's combined JSON (<c>data[].{storyId, text, questions[]}</c>): each question's <c>consensus</c> gives a
/// character span [s, e) into the story, or <c>noAnswer</c>/<c>badQuestion</c>. Questions flagged bad are skipped and
/// counted; no-answer questions are unanswerable.
/// </summary>
public static class NewsQaReader
{
    public static IEnumerable<MrcExample> Read(string path, ReaderReport report)
    {
        foreach (var (root, at) in JsonArrayStreamer.Elements(path, "data"))
        {
            string storyId = at.String(root, "storyId");
            string text = at.String(root, "text");
            int q = 0;
            foreach (var (question, qAt) in at.Array(root, "questions"))
            {
                string id = $"{storyId}#{q++}";
                if (!question.TryGetProperty("consensus", out var consensus) || consensus.ValueKind != JsonValueKind.Object)
                    throw qAt.Child("consensus").Expected("an object with s and e, noAnswer or badQuestion");
                if (consensus.TryGetProperty("badQuestion", out var bad) && bad.ValueKind == JsonValueKind.True)
                {
                    report.Skip("bad question", qAt.ToString(), "consensus marks it badQuestion");
                    continue;
                }
                var answers = new List<Answer>();
                if (!(consensus.TryGetProperty("noAnswer", out var none) && none.ValueKind == JsonValueKind.True))
                {
                    var cAt = qAt.Child("consensus");
                    int s = cAt.Int(consensus, "s"), e = cAt.Int(consensus, "e");
                    if (s < 0 || e > text.Length || e <= s)
                    {
                        report.Skip("span outside the story", cAt.ToString(), $"[{s}, {e}) does not fit a story of {text.Length} characters");
                        continue;
                    }
                    answers.Add(new Answer(text[s..e].Trim(), s + (text[s..e].Length - text[s..e].TrimStart().Length)));
                }
                yield return new MrcExample(id, qAt.String(question, "q"), text, answers);
            }
        }
    }
}
