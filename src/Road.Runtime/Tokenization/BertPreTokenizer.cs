using System.Globalization;
using System.Text;

namespace Road.Tokenization;

/// <summary>A word of the pre-tokenized text: its normalised characters and, for each, its index in the original.</summary>
public sealed record PreToken(string Text, int[] Origin);

/// <summary>Collects normalised characters, each with the index of the original character it came from, into words.</summary>
internal sealed class PreTokenBuilder
{
    private readonly StringBuilder _current = new();
    private readonly List<int> _origin = [];

    public List<PreToken> Words { get; } = [];

    public void Append(char normalised, int origin)
    {
        _current.Append(normalised);
        _origin.Add(origin);
    }

    /// <summary>Ends the word being built, if any.</summary>
    public void Flush()
    {
        if (_current.Length == 0) return;
        Words.Add(new PreToken(_current.ToString(), _origin.ToArray()));
        _current.Clear();
        _origin.Clear();
    }

    /// <summary>A word of its own (punctuation, a CJK ideograph), every character from one original index.</summary>
    public void Alone(string word, int origin)
    {
        Flush();
        Words.Add(new PreToken(word, Enumerable.Repeat(origin, word.Length).ToArray()));
    }
}

/// <summary>
/// BERT's normaliser settings as <c>tokenizer.json</c> (<c>BertNormalizer</c>) and <c>tokenizer_config.json</c> name
/// them: lower-casing, accent stripping (null: the same as lower-casing, HF's default), and a word per CJK ideograph.
/// </summary>
public sealed record BertNormalization(bool Lowercase = true, bool? StripAccents = null, bool SplitChineseCharacters = true)
{
    public static BertNormalization Uncased { get; } = new();

    public bool StripsAccents => StripAccents ?? Lowercase;

    public override string ToString() => $"lowercase={Lowercase} strip_accents={StripsAccents} chinese_chars={SplitChineseCharacters}";
}

/// <summary>
/// BERT's normalisation and pre-tokenization (HuggingFace tokenizers' BertNormalizer and BertPreTokenizer): drop
/// control characters, treat whitespace as a separator, make each CJK ideograph a word, decompose and strip accents,
/// lower-case, and split off punctuation, keeping for every normalised character the index of the original
/// character it came from. Written by hand because Microsoft.ML.Tokenizers reports offsets into its normalised text
/// (PLATFORM.md), while SQuAD answers are character offsets into the original context. ASCII, most of any English
/// corpus, takes a path without allocation.
/// </summary>
public static class BertPreTokenizer
{
    public static List<PreToken> Split(string text, BertNormalization? normalization = null)
    {
        var settings = normalization ?? BertNormalization.Uncased;
        var words = new PreTokenBuilder();
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            char c = text[i];
            if (c < 128)
            {
                if (c is ' ' or '\t' or '\n' or '\r') words.Flush();
                else if (c == 0 || char.IsControl(c)) continue;
                else if (IsPunctuation(c)) words.Alone(AsciiStrings[c], i);
                else
                {
                    words.Append(settings.Lowercase && c is >= 'A' and <= 'Z' ? (char)(c + 32) : c, i);
                }
                continue;
            }
            int codePoint = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text, i) : c;
            if (codePoint == 0xFFFD || IsControl(codePoint)) continue;
            if (IsWhitespace(codePoint))
            {
                words.Flush();
                continue;
            }
            if (settings.SplitChineseCharacters && IsCjkIdeograph(codePoint))
            {
                words.Alone(char.ConvertFromUtf32(codePoint), i);
                continue;
            }
            foreach (char n in Normalize(codePoint, settings))
            {
                if (IsPunctuation(n)) words.Alone(n.ToString(), i);
                else words.Append(n, i);
            }
        }
        words.Flush();
        return words.Words;
    }

    private static readonly string[] AsciiStrings = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    // Accents first, then case, as HF's BertNormalizer does.
    private static string Normalize(int codePoint, BertNormalization settings)
    {
        string character = char.ConvertFromUtf32(codePoint);
        if (settings.StripsAccents)
        {
            var kept = new StringBuilder();
            foreach (char c in character.Normalize(NormalizationForm.FormD))
                if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) kept.Append(c);
            character = kept.ToString();
        }
        if (!settings.Lowercase) return character;
        var lower = new StringBuilder();
        for (int i = 0; i < character.Length; i += char.IsSurrogatePair(character, i) ? 2 : 1)
            lower.Append(PythonLowercase.LowerCodePoint(char.IsSurrogatePair(character, i) ? char.ConvertToUtf32(character, i) : character[i]));
        return lower.ToString();
    }

    private static bool IsWhitespace(int c) =>
        c is ' ' or '\t' or '\n' or '\r' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(int c) => c is not ('\t' or '\n' or '\r') && CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    // BERT counts all non-letter/number ASCII as punctuation ("$", "^", "`"), plus every Unicode P* category.
    private static bool IsPunctuation(char c) =>
        c is >= (char)33 and <= (char)47 or >= (char)58 and <= (char)64 or >= (char)91 and <= (char)96 or >= (char)123 and <= (char)126
        || c >= 128 && char.IsPunctuation(c);

    // The CJK Unified Ideographs blocks BERT splits per character (not Hiragana, Katakana or Hangul).
    private static bool IsCjkIdeograph(int c) =>
        c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
