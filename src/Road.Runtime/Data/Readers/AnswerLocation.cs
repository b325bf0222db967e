namespace Road.Data.Readers;

/// <summary>
/// Whether a gold answer is where its offset says, checked as BERT's <c>run_squad.py</c> checks before it trains on an
/// example: the words (split at whitespace) that the answer's first and last characters fall in, joined by single
/// spaces, must contain the answer's own words joined the same way. An exact match at the offset passes at once.
/// </summary>
public static class AnswerLocation
{
    /// <summary>The answer's UTF-16 start when it is at <paramref name="start"/>, or -1 when it is not.</summary>
    public static int Check(string context, string text, int start)
    {
        if (start < 0 || text.Length == 0 || start + text.Length > context.Length) return -1;
        if (string.CompareOrdinal(context, start, text, 0, text.Length) == 0) return start;
        var words = new List<(int Start, int End)>();
        var wordAt = new int[context.Length];
        bool inWord = false;
        for (int i = 0; i < context.Length; i++)
        {
            if (IsRunSquadWhitespace(context[i])) inWord = false;
            else if (!inWord)
            {
                words.Add((i, i + 1));
                inWord = true;
            }
            else words[^1] = (words[^1].Start, i + 1);
            wordAt[i] = words.Count - 1;
        }
        int first = wordAt[start], last = wordAt[start + text.Length - 1];
        if (first < 0) return -1;
        string actual = string.Join(" ", words.Skip(first).Take(last - first + 1).Select(w => context[w.Start..w.End]));
        string cleaned = string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return actual.Contains(cleaned, StringComparison.Ordinal) ? start : -1;
    }

    // run_squad.py's is_whitespace: space, tab, CR, LF and the narrow no-break space.
    private static bool IsRunSquadWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\u202F';
}
