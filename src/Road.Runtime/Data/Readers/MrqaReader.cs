using System.Text.Json;
using Road.Tokenization;

namespace Road.Data.Readers;

/// <summary>
/// MRQA 2019 shared-task JSONL (TriviaQA, Natural Questions, NewsQA, ...): a header line, then one context per line
/// with its questions. Answers come from <c>detected_answers[].char_spans</c>, whose ends are inclusive; every
/// question has an answer in MRQA, so one whose spans all lie outside the context is skipped, not made unanswerable.
/// </summary>
public static class MrqaReader
{
    public static IEnumerable<MrcExample> Read(string path, ReaderReport report)
    {
        foreach (var (root, at) in JsonLines.Objects(path))
        {
            if (root.TryGetProperty("header", out _)) continue;
            string context = at.String(root, "context");
            var index = new CodePointIndex(context);
            foreach (var (qa, qAt) in at.Array(root, "qas"))
            {
                string id = qAt.OptionalString(qa, "qid") ?? qAt.String(qa, "id");
                var answers = new List<Answer>();
                foreach (var (detected, dAt) in qAt.Array(qa, "detected_answers"))
                {
                    foreach (var (span, sAt) in dAt.Array(detected, "char_spans"))
                    {
                        if (span.ValueKind != JsonValueKind.Array || span.GetArrayLength() != 2 || !span[0].TryGetInt32(out int s) || !span[1].TryGetInt32(out int e))
                            throw sAt.Expected("[start, end] (inclusive character offsets)", span);
                        int start = index.ToUtf16(s), end = index.ToUtf16(e + 1);
                        if (start < 0 || end < 0 || end <= start)
                        {
                            report.Fault("span outside the context", sAt.ToString(), $"[{s}, {e}] is outside a context of {context.Length} characters");
                            continue;
                        }
                        answers.Add(new Answer(context[start..end], start));
                    }
                }
                if (answers.Count == 0)
                {
                    report.Skip("question without a usable answer", qAt.ToString(), "no char_spans inside the context");
                    continue;
                }
                yield return new MrcExample(id, qAt.String(qa, "question"), context, answers);
            }
        }
    }
}

/// <summary>JSON lines: one object per line, each parsed on its own, errors naming the file and line.</summary>
public static class JsonLines
{
    /// <summary>Each line's object with its location; an object is valid until the next one is read.</summary>
    public static IEnumerable<(JsonElement Root, JsonAt At)> Objects(string path)
    {
        foreach (var (line, text) in DataFile.Lines(path))
        {
            using var document = Parse(path, line, text);
            yield return (document.RootElement, new JsonAt(path, line, "$"));
        }
    }

    public static JsonDocument Parse(string path, int line, string text)
    {
        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            throw new RoadException($"{path}:{line}: expected one JSON object per line.");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{path}:{line}: not valid JSON ({e.Message.Split(" LineNumber")[0]}).");
        }
    }
}
