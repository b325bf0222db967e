using Microsoft.ML.Tokenizers;

namespace Road.Tokenization;

/// <summary>
/// ALBERT's SentencePiece tokenization through Microsoft.ML.Tokenizers. ALBERT's models are trained with
/// <c>bos_id = -1</c>, on which the library's loader fails (it indexes the vocabulary with the BOS id), so the model's
/// trainer spec is given the ids of [CLS] and [SEP] as BOS and EOS before loading (PLATFORM.md); with BOS and EOS
/// not added, the ids equal spm_encode's.
/// </summary>
public sealed class AlbertTokenizer
{
    private readonly SentencePieceTokenizer _tokenizer;

    private AlbertTokenizer(SentencePieceTokenizer tokenizer, int clsId, int sepId, int padId)
    {
        _tokenizer = tokenizer;
        (ClsId, SepId, PadId) = (clsId, sepId, padId);
    }

    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }

    public static AlbertTokenizer FromModelFile(string path)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: SentencePiece model not found.");
        byte[] model = File.ReadAllBytes(path);
        var pieces = SentencePieceModelFile.Pieces(model);
        int Id(string piece) => pieces.IndexOf(piece) is var id and >= 0 ? id : throw new RoadException($"{path}: the model has no {piece} piece; not an ALBERT SentencePiece model.");
        int cls = Id("[CLS]"), sep = Id("[SEP]"), mask = Id("[MASK]"), pad = Id("<pad>");
        using var patched = new MemoryStream(SentencePieceModelFile.WithBosEos(model, cls, sep));
        var special = new Dictionary<string, int> { ["[CLS]"] = cls, ["[SEP]"] = sep, ["[MASK]"] = mask };
        return new AlbertTokenizer(SentencePieceTokenizer.Create(patched, addBeginningOfSentence: false, addEndOfSentence: false, specialTokens: special), cls, sep, pad);
    }

    public IReadOnlyList<int> EncodeToIds(string text) => _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);

    public IReadOnlyList<string> EncodeToPieces(string text) =>
        _tokenizer.EncodeToTokens(text, out _, addBeginningOfSentence: false, addEndOfSentence: false).Select(t => t.Value).ToList();
}
