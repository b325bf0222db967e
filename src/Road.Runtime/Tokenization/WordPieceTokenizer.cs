using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Road.Tokenization;

/// <summary>A token with its id, its vocabulary string and its [start, end) character offsets into the ORIGINAL text.</summary>
public readonly record struct TokenSpan(int Id, string Text, int Start, int End);

/// <summary>An encoded sentence pair: <c>[CLS] first [SEP] second [SEP]</c> with token types and original offsets
/// ((0, 0) for special tokens, as HuggingFace reports them).</summary>
public sealed record EncodedPair(IReadOnlyList<int> Ids, IReadOnlyList<int> TokenTypes, IReadOnlyList<string> Tokens, IReadOnlyList<(int Start, int End)> Offsets);

/// <summary>
/// Uncased WordPiece tokenization (BERT, ELECTRA) with offsets into the original string: <see cref="BertPreTokenizer"/>
/// splits the text into normalised words, and Microsoft.ML.Tokenizers' WordPiece model splits each word into pieces
/// (a word it cannot cover becomes [UNK], as in HuggingFace).
/// </summary>
public sealed class WordPieceTokenizer
{
    private readonly Microsoft.ML.Tokenizers.WordPieceTokenizer _wordPiece;
    private readonly bool _lowercase;

    private WordPieceTokenizer(Microsoft.ML.Tokenizers.WordPieceTokenizer wordPiece, bool lowercase, string fingerprint)
    {
        _wordPiece = wordPiece;
        _lowercase = lowercase;
        Fingerprint = fingerprint;
        ClsId = Id("[CLS]");
        SepId = Id("[SEP]");
        PadId = Id("[PAD]");
    }

    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }

    /// <summary>Identifies the vocabulary and settings, so cached features are never mixed across tokenizers.</summary>
    public string Fingerprint { get; }

    public static WordPieceTokenizer FromVocabulary(Stream vocab, bool lowercase = true)
    {
        using var copy = new MemoryStream();
        vocab.CopyTo(copy);
        string fingerprint = $"wordpiece lowercase={lowercase} vocab={Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray()))}";
        copy.Position = 0;
        return new(Microsoft.ML.Tokenizers.WordPieceTokenizer.Create(copy, new WordPieceOptions()), lowercase, fingerprint);
    }

    public static WordPieceTokenizer FromVocabularyFile(string path, bool lowercase = true)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: vocabulary file not found.");
        using var stream = File.OpenRead(path);
        return FromVocabulary(stream, lowercase);
    }

    public IReadOnlyList<TokenSpan> Tokenize(string text)
    {
        var spans = new List<TokenSpan>();
        foreach (var word in BertPreTokenizer.Split(text, _lowercase))
        {
            var pieces = _wordPiece.EncodeToTokens(word.Text, out _, considerPreTokenization: false, considerNormalization: false);
            foreach (var piece in pieces)
            {
                var (start, length) = piece.Offset.GetOffsetAndLength(word.Text.Length);
                // An [UNK] stands for the whole word.
                if (piece.Id == _wordPiece.UnknownTokenId) (start, length) = (0, word.Text.Length);
                spans.Add(new TokenSpan(piece.Id, piece.Value, word.Origin[start], OriginalEnd(text, word.Origin[start + length - 1])));
            }
        }
        return spans;
    }

    public EncodedPair EncodePair(string first, string second)
    {
        var a = Tokenize(first);
        var b = Tokenize(second);
        var ids = new List<int>(a.Count + b.Count + 3);
        var types = new List<int>(ids.Capacity);
        var tokens = new List<string>(ids.Capacity);
        var offsets = new List<(int, int)>(ids.Capacity);
        void Add(int id, string text, int type, (int, int) offset)
        {
            ids.Add(id);
            types.Add(type);
            tokens.Add(text);
            offsets.Add(offset);
        }
        Add(ClsId, "[CLS]", 0, (0, 0));
        foreach (var t in a) Add(t.Id, t.Text, 0, (t.Start, t.End));
        Add(SepId, "[SEP]", 0, (0, 0));
        foreach (var t in b) Add(t.Id, t.Text, 1, (t.Start, t.End));
        Add(SepId, "[SEP]", 1, (0, 0));
        return new EncodedPair(ids, types, tokens, offsets);
    }

    // The end offset of the original character at index i (a surrogate pair spans two chars).
    private static int OriginalEnd(string text, int i) => char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? i + 2 : i + 1;

    private int Id(string token) =>
        _wordPiece.EncodeToIds(token, considerPreTokenization: false, considerNormalization: false) is [var id]
            ? id
            : throw new RoadException($"the vocabulary has no {token} token.");
}
