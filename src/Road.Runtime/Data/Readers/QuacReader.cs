using System.Text.Json;
using Road.Tokenization;

namespace Road.Data.Readers;

/// <summary>
/// QuAC JSON (SQuAD-like dialogs): each paragraph is one dialog whose questions come in order, with follow-up (y/m/n)
/// and yes/no (y/n/x) labels. An answer text of CANNOTANSWER makes the question unanswerable; the context itself ends
/// with " CANNOTANSWER", which is removed so that no span can point at it.
/// </summary>
public static class QuacReader
{
    public const string CannotAnswer = "CANNOTANSWER";

    /// <param name="articles">the sections of data[] to read; all when null</param>
    public static IEnumerable<MrcExample> Read(string path, ReaderReport report, ArticleRange? articles = null)
    {
        int sections = 0;
        foreach (var (section, at) in JsonArrayStreamer.Elements(path, "data"))
        {
            if (articles is not null && !articles.Contains(sections++)) continue;
            foreach (var (paragraph, pAt) in at.Array(section, "paragraphs"))
            {
                string raw = pAt.String(paragraph, "context");
                string context = raw.EndsWith(" " + CannotAnswer, StringComparison.Ordinal) ? raw[..^(CannotAnswer.Length + 1)] : raw;
                var index = new CodePointIndex(raw);
                string dialog = pAt.OptionalString(paragraph, "id") ?? pAt.Path;
                int turn = 0;
                foreach (var (qa, qAt) in pAt.Array(paragraph, "qas"))
                {
                    var answers = new List<Answer>();
                    foreach (var (answer, aAt) in qAt.Array(qa, "answers"))
                    {
                        string text = aAt.String(answer, "text");
                        if (text == CannotAnswer) continue;
                        int start = AnswerLocation.Check(context, text, index.ToUtf16(aAt.Int(answer, "answer_start")));
                        if (start < 0)
                            report.Fault("answer not at answer_start", aAt.ToString(), $"\"{Shorten(text)}\" is not at offset {aAt.Int(answer, "answer_start")}; the question is evaluated, not trained on");
                        answers.Add(new Answer(text, start));
                    }
                    var labels = new DialogTurn(dialog, turn++, Label(qa, qAt, "followup", "ymn"), Label(qa, qAt, "yesno", "ynx"));
                    yield return new MrcExample(qAt.String(qa, "id"), qAt.String(qa, "question"), context, answers, labels);
                }
            }
        }
    }

    private static char Label(JsonElement qa, JsonAt at, string field, string allowed)
    {
        string value = at.String(qa, field);
        return value.Length == 1 && allowed.Contains(value[0]) ? value[0] : throw at.Child(field).Expected($"one of {string.Join("/", allowed.ToCharArray())}", qa.GetProperty(field));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
