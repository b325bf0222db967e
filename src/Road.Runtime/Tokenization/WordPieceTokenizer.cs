using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Road.Tokenization;

/// <summary>A token with its id and its [start, end) character offsets into the ORIGINAL text.</summary>
public readonly record struct TokenSpan(int Id, int Start, int End);

/// <summary>
/// Uncased WordPiece tokenization (BERT/ELECTRA) through Microsoft.ML.Tokenizers, with offsets into the original
/// string. Microsoft.ML.Tokenizers reports offsets into its normalised text, so the uncased normalisation
/// (NFD, drop non-spacing marks, lower case) is done here with a map from each normalised character back to the
/// original one, and the library tokenises the already normalised text.
/// </summary>
public sealed class WordPieceTokenizer
{
    private readonly BertTokenizer _tokenizer;

    private WordPieceTokenizer(BertTokenizer tokenizer) => _tokenizer = tokenizer;

    public int ClsId => _tokenizer.ClassificationTokenId;
    public int SepId => _tokenizer.SeparatorTokenId;
    public int PadId => _tokenizer.PaddingTokenId;

    public static WordPieceTokenizer FromVocabulary(Stream vocab) =>
        new(BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = false, RemoveNonSpacingMarks = false }));

    public static WordPieceTokenizer FromVocabularyFile(string path)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: vocabulary file not found.");
        using var stream = File.OpenRead(path);
        return FromVocabulary(stream);
    }

    public IReadOnlyList<TokenSpan> Tokenize(string text)
    {
        var (normalized, origin) = Normalize(text);
        var tokens = _tokenizer.EncodeToTokens(normalized, out string? again, considerPreTokenization: true, considerNormalization: true);
        if (again is not null && again.Length != normalized.Length)
            throw new RoadException($"tokenizer normalisation changed the length of \"{Shorten(text)}\"; offsets cannot be mapped back.");
        var spans = new List<TokenSpan>(tokens.Count);
        foreach (var t in tokens)
        {
            var (start, length) = t.Offset.GetOffsetAndLength(normalized.Length);
            int originalStart = start < origin.Length ? origin[start] : text.Length;
            int originalEnd = length == 0 ? originalStart : origin[start + length - 1] + 1;
            spans.Add(new TokenSpan(t.Id, originalStart, originalEnd));
        }
        return spans;
    }

    // Lower case and strip accents as the uncased checkpoints expect, remembering where each character came from.
    private static (string Normalized, int[] Origin) Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            int width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            foreach (char c in text.Substring(i, width).Normalize(NormalizationForm.FormD))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
                foreach (char lower in char.ToLowerInvariant(c).ToString())
                {
                    builder.Append(lower);
                    origin.Add(i);
                }
            }
            i += width - 1;
        }
        return (builder.ToString(), origin.ToArray());
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
