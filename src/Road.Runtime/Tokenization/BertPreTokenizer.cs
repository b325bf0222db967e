using System.Globalization;
using System.Text;

namespace Road.Tokenization;

/// <summary>A word of the pre-tokenized text: its normalised characters and, for each, its index in the original.</summary>
public sealed record PreToken(string Text, int[] Origin);

/// <summary>
/// BERT's uncased normalisation and pre-tokenization (HuggingFace tokenizers' BertNormalizer and BertPreTokenizer):
/// drop control characters, treat whitespace as a separator, make each CJK ideograph a word, decompose and strip
/// accents, lower-case, and split off punctuation, keeping for every normalised character the index of the original
/// character it came from. Written by hand because Microsoft.ML.Tokenizers reports offsets into its normalised text
/// (PLATFORM.md), while SQuAD answers are character offsets into the original context.
/// </summary>
public static class BertPreTokenizer
{
    public static List<PreToken> Split(string text, bool lowercase = true)
    {
        var words = new List<PreToken>();
        var current = new StringBuilder();
        var origin = new List<int>();
        void Flush()
        {
            if (current.Length == 0) return;
            words.Add(new PreToken(current.ToString(), origin.ToArray()));
            current.Clear();
            origin.Clear();
        }
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            int codePoint = char.ConvertToUtf32(text, i) is var cp && char.IsSurrogatePair(text, i) ? cp : text[i];
            if (codePoint == 0 || codePoint == 0xFFFD || IsControl(codePoint)) continue;
            if (IsWhitespace(codePoint))
            {
                Flush();
                continue;
            }
            string original = char.ConvertFromUtf32(codePoint);
            if (IsCjkIdeograph(codePoint))
            {
                Flush();
                words.Add(new PreToken(original, Enumerable.Repeat(i, original.Length).ToArray()));
                continue;
            }
            foreach (char c in Normalize(original, lowercase))
            {
                if (IsPunctuation(c))
                {
                    Flush();
                    words.Add(new PreToken(c.ToString(), [i]));
                    continue;
                }
                current.Append(c);
                origin.Add(i);
            }
        }
        Flush();
        return words;
    }

    private static string Normalize(string character, bool lowercase)
    {
        var kept = new StringBuilder();
        foreach (char c in character.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) kept.Append(c);
        return lowercase ? kept.ToString().ToLowerInvariant() : kept.ToString();
    }

    private static bool IsWhitespace(int c) =>
        c is ' ' or '\t' or '\n' or '\r' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(int c) => c is not ('\t' or '\n' or '\r') && CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    // BERT counts all non-letter/number ASCII as punctuation ("$", "^", "`"), plus every Unicode P* category.
    private static bool IsPunctuation(char c) =>
        c is >= (char)33 and <= (char)47 or >= (char)58 and <= (char)64 or >= (char)91 and <= (char)96 or >= (char)123 and <= (char)126
        || char.IsPunctuation(c);

    // The CJK Unified Ideographs blocks BERT splits per character (not Hiragana, Katakana or Hangul).
    private static bool IsCjkIdeograph(int c) =>
        c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
