using Microsoft.ML.Tokenizers;

namespace Road.Tokenization;

/// <summary>
/// WordPiece tokenization (BERT, ELECTRA) with offsets into the original string: <see cref="BertPreTokenizer"/>
/// splits the text into normalised words (cased or uncased, <see cref="BertNormalization"/>), and
/// Microsoft.ML.Tokenizers' WordPiece model splits each word into pieces (a word it cannot cover becomes [UNK], as
/// in HuggingFace).
/// </summary>
public sealed class WordPieceTokenizer : ITokenizer
{
    private readonly Microsoft.ML.Tokenizers.WordPieceTokenizer _wordPiece;
    private readonly BertNormalization _normalization;
    private readonly byte[] _vocabulary;

    private WordPieceTokenizer(Microsoft.ML.Tokenizers.WordPieceTokenizer wordPiece, BertNormalization normalization, byte[] vocabulary, int vocabularySize, string fingerprint)
    {
        _wordPiece = wordPiece;
        _normalization = normalization;
        _vocabulary = vocabulary;
        VocabularySize = vocabularySize;
        Fingerprint = fingerprint;
        ClsId = Id("[CLS]");
        SepId = Id("[SEP]");
        PadId = Id("[PAD]");
    }

    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }
    public int VocabularySize { get; }
    public string Fingerprint { get; }
    public string Description => $"WordPiece, {VocabularySize} tokens, {_normalization}";

    /// <summary>A tokenizer over a vocab.txt's bytes (one token per line, the line number is the id).</summary>
    public static WordPieceTokenizer FromVocabulary(Stream vocab, BertNormalization? normalization = null)
    {
        var settings = normalization ?? BertNormalization.Uncased;
        using var copy = new MemoryStream();
        vocab.CopyTo(copy);
        byte[] bytes = copy.ToArray();
        var lines = new StreamReader(new MemoryStream(bytes)).ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        string fingerprint = $"wordpiece {settings} vocab={Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}";
        return new(Microsoft.ML.Tokenizers.WordPieceTokenizer.Create(new MemoryStream(Distinct(lines)), new WordPieceOptions()), settings, bytes, lines.Count, fingerprint);
    }

    // A token listed twice takes its last line's id, as transformers' load_vocab does; the library refuses duplicates,
    // so earlier copies become placeholders that no text can produce (every line keeps its id).
    private static byte[] Distinct(List<string> lines)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++) last[lines[i]] = i;
        var unique = lines.Select((token, i) => last[token] == i ? token : $"[duplicate {i}]");
        return System.Text.Encoding.UTF8.GetBytes(string.Join("\n", unique) + "\n");
    }

    public static WordPieceTokenizer FromVocabularyFile(string path, BertNormalization? normalization = null)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: vocabulary file not found.");
        using var stream = File.OpenRead(path);
        return FromVocabulary(stream, normalization);
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, TokenizerFiles.Vocabulary), temp => File.WriteAllBytes(temp, _vocabulary));
        TokenizerFiles.WriteConfig(folder, new()
        {
            ["do_lower_case"] = _normalization.Lowercase,
            ["strip_accents"] = _normalization.StripAccents,
            ["tokenize_chinese_chars"] = _normalization.SplitChineseCharacters,
        });
    }

    public IReadOnlyList<TokenSpan> Tokenize(string text)
    {
        var spans = new List<TokenSpan>();
        foreach (var word in BertPreTokenizer.Split(text, _normalization))
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

    // The end offset of the original character at index i (a surrogate pair spans two chars).
    private static int OriginalEnd(string text, int i) => char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? i + 2 : i + 1;

    private int Id(string token) =>
        _wordPiece.EncodeToIds(token, considerPreTokenization: false, considerNormalization: false) is [var id] && id != _wordPiece.UnknownTokenId
            ? id
            : throw new RoadException($"the vocabulary has no {token} token.");
}
