using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Road.Tokenization;

/// <summary>
/// ALBERT's normalisation before SentencePiece, as <c>tokenizer_config.json</c> names it (<c>do_lower_case</c>,
/// <c>keep_accents</c>). Its <c>remove_space</c> has no setting here: words are split at whitespace either way, as
/// SentencePiece's own normaliser collapses it.
/// </summary>
public sealed record AlbertNormalization(bool Lowercase = true, bool KeepAccents = false)
{
    public override string ToString() => $"lowercase={Lowercase} keep_accents={KeepAccents}";
}

/// <summary>
/// ALBERT's SentencePiece tokenization with offsets into the original text. The text is normalised as HuggingFace's
/// ALBERT tokenizer does (<c>``</c> and <c>''</c> become <c>"</c>; unless accents are kept, NFKD and marks removed;
/// lower-cased), keeping the original index of every normalised character; it is split into words at whitespace
/// (SentencePiece never makes a piece across a space), and each word goes through Microsoft.ML.Tokenizers'
/// SentencePiece model, whose offsets into the word map back to the original text. ALBERT's models are trained with
/// <c>bos_id = -1</c>, on which the library's loader fails, so the model's trainer spec is given the ids of [CLS] and
/// [SEP] as BOS and EOS before loading (PLATFORM.md); BOS and EOS are never added, so the ids equal spm_encode's.
/// </summary>
public sealed class AlbertTokenizer : ITokenizer
{
    private const char Meta = '\u2581';
    private readonly SentencePieceTokenizer _tokenizer;
    private readonly AlbertNormalization _normalization;
    private readonly byte[] _model;

    private AlbertTokenizer(SentencePieceTokenizer tokenizer, AlbertNormalization normalization, byte[] model, int clsId, int sepId, int padId, int size, string fingerprint)
    {
        _tokenizer = tokenizer;
        _normalization = normalization;
        _model = model;
        (ClsId, SepId, PadId, VocabularySize, Fingerprint) = (clsId, sepId, padId, size, fingerprint);
    }

    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }
    public int VocabularySize { get; }
    public string Fingerprint { get; }
    public string Description => $"SentencePiece (ALBERT), {VocabularySize} pieces, {_normalization}";

    public static AlbertTokenizer FromModelFile(string path, AlbertNormalization? normalization = null)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: SentencePiece model not found.");
        var settings = normalization ?? new AlbertNormalization();
        byte[] model = File.ReadAllBytes(path);
        var pieces = SentencePieceModelFile.Pieces(model);
        int Id(string piece) => pieces.IndexOf(piece) is var id and >= 0 ? id : throw new RoadException($"{path}: the model has no {piece} piece; not an ALBERT SentencePiece model.");
        int cls = Id("[CLS]"), sep = Id("[SEP]"), mask = Id("[MASK]"), pad = Id("<pad>");
        using var patched = new MemoryStream(SentencePieceModelFile.WithBosEos(model, cls, sep));
        var special = new Dictionary<string, int> { ["[CLS]"] = cls, ["[SEP]"] = sep, ["[MASK]"] = mask };
        string fingerprint = $"sentencepiece {settings} model={Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(model))}";
        var tokenizer = SentencePieceTokenizer.Create(patched, addBeginningOfSentence: false, addEndOfSentence: false, specialTokens: special);
        return new AlbertTokenizer(tokenizer, settings, model, cls, sep, pad, pieces.Count, fingerprint);
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, TokenizerFiles.SentencePieceModel), temp => File.WriteAllBytes(temp, _model));
        TokenizerFiles.WriteConfig(folder, new() { ["do_lower_case"] = _normalization.Lowercase, ["keep_accents"] = _normalization.KeepAccents });
    }

    /// <summary>The ids spm_encode gives for already normalised text (no BOS or EOS).</summary>
    public IReadOnlyList<int> EncodeToIds(string text) => _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);

    /// <summary>The pieces spm_encode gives for already normalised text.</summary>
    public IReadOnlyList<string> EncodeToPieces(string text) =>
        _tokenizer.EncodeToTokens(text, out _, addBeginningOfSentence: false, addEndOfSentence: false).Select(t => t.Value).ToList();

    public IReadOnlyList<TokenSpan> Tokenize(string text)
    {
        var spans = new List<TokenSpan>();
        foreach (var word in Words(text))
        {
            var pieces = _tokenizer.EncodeToTokens(word.Text, out string? normalized, addBeginningOfSentence: false, addEndOfSentence: false);
            // SentencePiece's own normaliser prefixes the word with ▁; anything else it changed leaves no map from its
            // offsets to the word's characters, and every piece then stands for the whole word.
            bool aligned = normalized is not null && normalized.Length == word.Text.Length + 1 && normalized[0] == Meta
                && string.CompareOrdinal(normalized, 1, word.Text, 0, word.Text.Length) == 0;
            int wordStart = word.Origin[0], wordEnd = OriginalEnd(text, word.Origin[^1]);
            foreach (var piece in pieces)
            {
                var (offset, length) = piece.Offset.GetOffsetAndLength(normalized?.Length ?? 0);
                int first = Math.Max(offset, 1) - 1, last = offset + length - 2;
                if (!aligned) spans.Add(new TokenSpan(piece.Id, piece.Value, wordStart, wordEnd));
                else if (last < first) spans.Add(new TokenSpan(piece.Id, piece.Value, wordStart, wordStart)); // a lone ▁
                else spans.Add(new TokenSpan(piece.Id, piece.Value, word.Origin[first], OriginalEnd(text, word.Origin[last])));
            }
        }
        return spans;
    }

    // The normalised words of the text, each character with the index of the original character it came from.
    private List<PreToken> Words(string text)
    {
        var words = new PreTokenBuilder();
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            int codePoint = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text, i) : text[i];
            if (IsWhitespace(codePoint))
            {
                words.Flush();
                continue;
            }
            if (codePoint is '`' or '\'' && i + 1 < text.Length && text[i + 1] == codePoint)
            {
                words.Append('"', i++);
                continue;
            }
            foreach (char c in Normalize(codePoint)) words.Append(c, i);
        }
        words.Flush();
        return words.Words;
    }

    // HF's ALBERT normaliser: NFKD and marks stripped unless accents are kept, then lower case.
    private string Normalize(int codePoint)
    {
        if (codePoint < 128 && !(_normalization.Lowercase && codePoint is >= 'A' and <= 'Z')) return ((char)codePoint).ToString();
        string character = char.ConvertFromUtf32(codePoint);
        if (!_normalization.KeepAccents)
        {
            var kept = new StringBuilder();
            foreach (char c in character.Normalize(NormalizationForm.FormKD))
                if (CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
                    kept.Append(c);
            character = kept.ToString();
        }
        if (!_normalization.Lowercase) return character;
        var lower = new StringBuilder();
        for (int i = 0; i < character.Length; i += char.IsSurrogatePair(character, i) ? 2 : 1)
            lower.Append(PythonLowercase.LowerCodePoint(char.IsSurrogatePair(character, i) ? char.ConvertToUtf32(character, i) : character[i]));
        return lower.ToString();
    }

    private static bool IsWhitespace(int c) => c is ' ' or '\t' or '\n' or '\r' || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static int OriginalEnd(string text, int i) => char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? i + 2 : i + 1;
}
