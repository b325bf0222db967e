namespace Road.Tokenization;

/// <summary>A token with its id, its vocabulary string and its [start, end) character offsets into the ORIGINAL text.</summary>
public readonly record struct TokenSpan(int Id, string Text, int Start, int End);

/// <summary>An encoded sentence pair: <c>[CLS] first [SEP] second [SEP]</c> with token types and original offsets
/// ((0, 0) for special tokens, as HuggingFace reports them).</summary>
public sealed record EncodedPair(IReadOnlyList<int> Ids, IReadOnlyList<int> TokenTypes, IReadOnlyList<string> Tokens, IReadOnlyList<(int Start, int End)> Offsets);

/// <summary>
/// What every feature builder knows of a tokenizer: tokens with offsets into the original text (UTF-16 indices, as
/// .NET strings index; code points are converted at the boundary, <see cref="CodePointIndex"/>), the special tokens
/// that frame sequences, and a fingerprint that keys cached features. WordPiece (BERT, ELECTRA) and SentencePiece
/// (ALBERT) sit behind it; <see cref="TokenizerFiles"/> picks one from a checkpoint folder's files.
/// </summary>
public interface ITokenizer
{
    int ClsId { get; }
    int SepId { get; }
    int PadId { get; }

    /// <summary>How many ids the vocabulary holds: the embedding rows a fresh encoder needs.</summary>
    int VocabularySize { get; }

    /// <summary>Identifies the vocabulary and settings, so cached features are never mixed across tokenizers.</summary>
    string Fingerprint { get; }

    /// <summary>What it is, for people: the algorithm, the vocabulary size and the normalisation.</summary>
    string Description { get; }

    IReadOnlyList<TokenSpan> Tokenize(string text);

    /// <summary>Writes the tokenizer's files into a checkpoint folder in HuggingFace's layout (the vocabulary or
    /// SentencePiece model, and <c>tokenizer_config.json</c> with the normalisation), which
    /// <see cref="TokenizerFiles.Load"/> and transformers read back.</summary>
    void Save(string folder);
}

/// <summary>Sequences framed the way BERT-style encoders read them.</summary>
public static class TokenizerExtensions
{
    public static EncodedPair EncodePair(this ITokenizer tokenizer, string first, string second)
    {
        var a = tokenizer.Tokenize(first);
        var b = tokenizer.Tokenize(second);
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
        Add(tokenizer.ClsId, "[CLS]", 0, (0, 0));
        foreach (var t in a) Add(t.Id, t.Text, 0, (t.Start, t.End));
        Add(tokenizer.SepId, "[SEP]", 0, (0, 0));
        foreach (var t in b) Add(t.Id, t.Text, 1, (t.Start, t.End));
        Add(tokenizer.SepId, "[SEP]", 1, (0, 0));
        return new EncodedPair(ids, types, tokens, offsets);
    }
}
