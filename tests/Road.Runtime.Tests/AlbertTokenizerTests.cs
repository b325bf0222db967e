using System.Text.Json.Nodes;
using Road.Tokenization;

namespace Road.Tests;

/// <summary>ALBERT's SentencePiece tokenizer against spm_encode's ids on a model trained with bos_id = -1.</summary>
public sealed class AlbertTokenizerTests
{
    private static readonly string Vocab = Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab");
    private static readonly Lazy<AlbertTokenizer> Albert = new(() => AlbertTokenizer.FromModelFile(Path.Combine(Vocab, "albert-30k-clean.model")));

    public static TheoryData<int> Lines()
    {
        var data = new TheoryData<int>();
        int count = JsonNode.Parse(File.ReadAllText(Path.Combine(Vocab, "spm-albert-30k-clean.json")))!.AsArray().Count;
        for (int i = 0; i < count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Ids_and_pieces_equal_spm_encode(int line)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Vocab, "spm-albert-30k-clean.json")))!.AsArray()[line]!;
        string text = expected["text"]!.GetValue<string>();
        Assert.Equal(expected["ids"]!.AsArray().Select(i => i!.GetValue<int>()), Albert.Value.EncodeToIds(text));
        Assert.Equal(expected["pieces"]!.AsArray().Select(p => p!.GetValue<string>()), Albert.Value.EncodeToPieces(text));
    }

    [Fact]
    public void Special_tokens_have_the_models_ids()
    {
        Assert.Equal((2, 3, 0), (Albert.Value.ClsId, Albert.Value.SepId, Albert.Value.PadId));
        Assert.Equal([2], Albert.Value.EncodeToIds("[CLS]"));
    }

    [Fact]
    public void A_truncated_model_is_one_clear_error()
    {
        string path = Path.Combine(Path.GetTempPath(), $"road-spm-{Guid.NewGuid():N}.model");
        var bytes = File.ReadAllBytes(Path.Combine(Vocab, "albert-30k-clean.model"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        try
        {
            var error = Assert.Throws<RoadException>(() => AlbertTokenizer.FromModelFile(path));
            Assert.Contains("SentencePiece model", error.Message);
            Assert.Contains("truncated", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
