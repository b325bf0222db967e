using System.Text.Json;

namespace Road.Data.Readers;

/// <summary>
/// QA-SRL Bank 2.0 JSON lines (FitzGerald et al. 2018): per sentence, its tokens and, per verb, questions with
/// annotator judgments whose spans are token ranges [start, end). The context is the sentence (tokens joined by
/// spaces); a question with no valid judgment is unanswerable.
/// </summary>
public static class QaSrlReader
{
    public static IEnumerable<MrcExample> Read(string path, ReaderReport report)
    {
        foreach (var (root, at) in JsonLines.Objects(path))
        {
            string sentenceId = at.String(root, "sentenceId");
            var tokens = at.Array(root, "sentenceTokens").Select(t => t.Element.ValueKind == JsonValueKind.String ? t.Element.GetString()! : throw t.At.Expected("a token string", t.Element)).ToList();
            var sentence = TokenSentence.Of(tokens);
            if (!root.TryGetProperty("verbEntries", out var verbs) || verbs.ValueKind != JsonValueKind.Object) throw at.Child("verbEntries").Expected("an object of verb entries");
            foreach (var verb in verbs.EnumerateObject())
            {
                var vAt = at.Child("verbEntries").Child(verb.Name);
                if (!verb.Value.TryGetProperty("questionLabels", out var labels) || labels.ValueKind != JsonValueKind.Object) throw vAt.Child("questionLabels").Expected("an object of questions");
                foreach (var label in labels.EnumerateObject())
                {
                    var qAt = vAt.Child("questionLabels").Child($"[\"{label.Name}\"]");
                    var answers = new List<Answer>();
                    bool judgedValid = false;
                    foreach (var (judgment, jAt) in qAt.Array(label.Value, "answerJudgments"))
                    {
                        if (!(judgment.TryGetProperty("isValid", out var valid) && valid.ValueKind == JsonValueKind.True)) continue;
                        judgedValid = true;
                        foreach (var (span, sAt) in jAt.Array(judgment, "spans"))
                        {
                            if (span.ValueKind != JsonValueKind.Array || span.GetArrayLength() != 2 || !span[0].TryGetInt32(out int s) || !span[1].TryGetInt32(out int e) || s < 0 || e > tokens.Count || e <= s)
                            {
                                report.Fault("span outside the sentence", sAt.ToString(), $"{span.GetRawText()} is not a token range of {tokens.Count} tokens");
                                continue;
                            }
                            var answer = sentence.Span(s, e);
                            if (!answers.Contains(answer)) answers.Add(answer);
                        }
                    }
                    string question = qAt.OptionalString(label.Value, "questionString") ?? label.Name;
                    if (judgedValid && answers.Count == 0)
                    {
                        report.Skip("question without a usable answer", qAt.ToString(), "its valid judgments have no span inside the sentence");
                        continue;
                    }
                    yield return new MrcExample($"{sentenceId}:{verb.Name}:{question}", question, sentence.Text, answers);
                }
            }
        }
    }
}

/// <summary>A sentence rebuilt from tokens joined by single spaces, with each token's character offset.</summary>
public sealed class TokenSentence
{
    private readonly int[] _starts;
    private readonly IReadOnlyList<string> _tokens;

    private TokenSentence(string text, int[] starts, IReadOnlyList<string> tokens) => (Text, _starts, _tokens) = (text, starts, tokens);

    public string Text { get; }

    public static TokenSentence Of(IReadOnlyList<string> tokens)
    {
        var starts = new int[tokens.Count];
        int at = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            starts[i] = at;
            at += tokens[i].Length + 1;
        }
        return new TokenSentence(string.Join(" ", tokens), starts, tokens);
    }

    /// <summary>The answer covering tokens [start, end).</summary>
    public Answer Span(int start, int end) => new(Text[_starts[start]..(_starts[end - 1] + _tokens[end - 1].Length)], _starts[start]);
}
