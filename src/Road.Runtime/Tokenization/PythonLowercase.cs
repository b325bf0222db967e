using System.Globalization;
using System.Text;

namespace Road.Tokenization;

/// <summary>
/// Python's <c>str.lower()</c>, which the official SQuAD scripts call: Unicode's full lower-case mapping, where .NET's
/// invariant lower-casing uses the simple one. The two differ in exactly two places: U+0130 (İ) becomes "i" + U+0307
/// (.NET leaves it), and a capital sigma at the end of a word becomes final sigma ς (Unicode's Final_Sigma context;
/// .NET always writes σ). Everything else is the simple mapping both share. Written by hand: no served package
/// implements Unicode's special casing.
/// </summary>
public static class PythonLowercase
{
    private const int CapitalSigma = 0x03A3;
    private const int CapitalIWithDot = 0x0130;

    public static string Lower(string text)
    {
        var lower = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            int c = CodePoint(text, i);
            lower.Append(c == CapitalSigma && IsFinal(text, i) ? "ς" : LowerCodePoint(c));
        }
        return lower.ToString();
    }

    /// <summary>One code point's full lower-case mapping, without context (a capital sigma becomes σ), as HuggingFace
    /// tokenizers' Lowercase normaliser maps characters.</summary>
    public static string LowerCodePoint(int c) =>
        c == CapitalIWithDot ? "i\u0307"
        : c > char.MaxValue ? char.ConvertFromUtf32(c).ToLowerInvariant()
        : char.ToLowerInvariant((char)c).ToString();

    // Final_Sigma: a cased letter before (case-ignorable characters skipped), and none after.
    private static bool IsFinal(string text, int at)
    {
        int before = at;
        int previous;
        do
        {
            if (before == 0) return false;
            before -= before >= 2 && char.IsSurrogatePair(text, before - 2) ? 2 : 1;
            previous = CodePoint(text, before);
        }
        while (IsCaseIgnorable(previous));
        if (!IsCased(previous)) return false;
        for (int after = at + 1; after < text.Length; after += char.IsSurrogatePair(text, after) ? 2 : 1)
        {
            int next = CodePoint(text, after);
            if (!IsCaseIgnorable(next)) return !IsCased(next);
        }
        return true;
    }

    private static int CodePoint(string text, int i) => char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text, i) : text[i];

    private static bool IsCased(int c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || IsOtherCased(c);

    // Other_Lowercase / Other_Uppercase letters and numbers that are cased without being Lu/Ll/Lt (PropList.txt).
    private static bool IsOtherCased(int c) =>
        c is 0x00AA or 0x00BA or >= 0x02B0 and <= 0x02B8 or 0x02C0 or 0x02C1 or >= 0x02E0 and <= 0x02E4 or 0x0345 or 0x037A
            or >= 0x1D2C and <= 0x1D6A or 0x1D78 or >= 0x1D9B and <= 0x1DBF or 0x2071 or 0x207F or >= 0x2090 and <= 0x209C
            or >= 0x2160 and <= 0x217F or >= 0x24B6 and <= 0x24E9 or >= 0x2C7C and <= 0x2C7D or >= 0xA69C and <= 0xA69D
            or 0xA770 or >= 0xA7F8 and <= 0xA7F9 or >= 0xAB5C and <= 0xAB5F or >= 0x1F130 and <= 0x1F149
            or >= 0x1F150 and <= 0x1F169 or >= 0x1F170 and <= 0x1F189;

    // Case_Ignorable: Mn, Me, Cf, Lm, Sk, and Word_Break MidLetter, MidNumLet and Single_Quote.
    private static bool IsCaseIgnorable(int c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || c is '\'' or '.' or ':' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027 or 0xFE13 or 0xFE52
            or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
