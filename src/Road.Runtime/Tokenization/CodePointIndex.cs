namespace Road.Tokenization;

/// <summary>
/// Converts between UTF-16 indices (how .NET strings index, and how Road's offsets are kept) and Unicode code-point
/// indices (how Python indexes: SQuAD's <c>answer_start</c> and HuggingFace's offsets). They differ only after a
/// character outside the Basic Multilingual Plane, such as an emoji.
/// </summary>
public sealed class CodePointIndex
{
    private readonly int[] _codePointAt;

    public CodePointIndex(string text)
    {
        _codePointAt = new int[text.Length + 1];
        int codePoint = 0;
        for (int i = 0; i < text.Length; i++)
        {
            _codePointAt[i] = codePoint;
            if (!(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))) codePoint++;
        }
        _codePointAt[text.Length] = codePoint;
    }

    /// <summary>The code-point index of the character at UTF-16 index <paramref name="utf16"/> (the text's length allowed).</summary>
    public int ToCodePoint(int utf16) => _codePointAt[utf16];

    /// <summary>The UTF-16 index of code point <paramref name="codePoint"/>, or -1 when the text is shorter.</summary>
    public int ToUtf16(int codePoint)
    {
        int i = Array.BinarySearch(_codePointAt, codePoint);
        if (i < 0) return -1;
        while (i > 0 && _codePointAt[i - 1] == codePoint) i--;
        return i;
    }
}
