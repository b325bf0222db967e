using System.Text.Json;
using Road.Tokenization;

namespace Road.Data.Readers;

/// <summary>
/// SQuAD 2.0 JSON (<c>data[].paragraphs[].{context, qas[]}</c>), streamed article by article. Each question becomes an
/// <see cref="MrcExample"/> with all its answers; <c>answer_start</c> (a code-point offset, as Python counts) is
/// converted to a UTF-16 offset, and an answer whose text is not at its offset (<see cref="AnswerLocation"/>) is a
/// counted fault, kept with no offset: the official metric scores the question, but it is not trained on.
/// </summary>
public static class Squad2Reader
{
    /// <param name="articles">the articles to read; all when null</param>
    public static IEnumerable<MrcExample> Read(string path, ReaderReport report, ArticleRange? articles = null)
    {
        int index = 0;
        foreach (var (article, at) in JsonArrayStreamer.Elements(path, "data"))
        {
            if (articles is not null && !articles.Contains(index++)) continue;
            if (article.ValueKind != JsonValueKind.Object) throw at.Expected("an object with \"paragraphs\"", article);
            foreach (var example in Article(article, at, report)) yield return example;
        }
    }

    private static IEnumerable<MrcExample> Article(JsonElement article, JsonAt at, ReaderReport report)
    {
        foreach (var (paragraph, pAt) in at.Array(article, "paragraphs"))
        {
            string context = pAt.String(paragraph, "context");
            var index = new CodePointIndex(context);
            foreach (var (qa, qAt) in pAt.Array(paragraph, "qas"))
            {
                string id = qAt.String(qa, "id");
                string question = qAt.String(qa, "question");
                var answers = new List<Answer>();
                foreach (var (answer, aAt) in qAt.Array(qa, "answers", optional: true))
                {
                    string text = aAt.String(answer, "text");
                    int start = AnswerLocation.Check(context, text, index.ToUtf16(aAt.Int(answer, "answer_start")));
                    if (start < 0)
                        report.Fault("answer not at answer_start", aAt.ToString(), $"\"{text}\" is not at offset {aAt.Int(answer, "answer_start")} of the context; the question is evaluated, not trained on");
                    answers.Add(new Answer(text, start));
                }
                bool impossible = qa.TryGetProperty("is_impossible", out var flag) && flag.ValueKind == JsonValueKind.True;
                if (impossible && answers.Count > 0)
                    report.Fault("impossible question with answers", qAt.ToString(), "is_impossible is true but answers are given; they are ignored");
                yield return new MrcExample(id, question, context, impossible ? [] : answers);
            }
        }
    }
}
