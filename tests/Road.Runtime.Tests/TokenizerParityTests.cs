using System.Text.Json.Nodes;
using Road.Tokenization;

namespace Road.Tests;

/// <summary>Road's WordPiece tokenizer against HuggingFace tokenizers, one test case per reference entry.</summary>
public sealed class TokenizerParityTests
{
    private static readonly Lazy<WordPieceTokenizer> Bert = new(() =>
        WordPieceTokenizer.FromVocabularyFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab", "bert-base-uncased-vocab.txt")));

    /// <summary>Reference files under Fixtures/hf-reference (tokenizer-*.json) and those in ROAD_EXTRA_TOKENIZER_REFERENCES,
    /// by file name (xunit shortens long arguments in display names, so the test case carries the name, not the path).</summary>
    private static readonly Dictionary<string, string> References = ReferenceFiles.Discover(
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference"), "tokenizer-*.json", "ROAD_EXTRA_TOKENIZER_REFERENCES");

    public static TheoryData<string, int> Entries()
    {
        var data = new TheoryData<string, int>();
        foreach (var (name, path) in References)
        {
            int count = JsonNode.Parse(File.ReadAllText(path))!.AsArray().Count;
            for (int i = 0; i < count; i++) data.Add(name, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Pair_encoding_equals_huggingface(string reference, int entry)
    {
        var expected = JsonNode.Parse(File.ReadAllText(References[reference]))!.AsArray()[entry]!;
        string question = expected["question"]!.GetValue<string>(), context = expected["context"]!.GetValue<string>();
        var actual = Bert.Value.EncodePair(question, context);
        Assert.Equal(expected["tokens"]!.AsArray().Select(t => t!.GetValue<string>()), actual.Tokens);
        Assert.Equal(expected["input_ids"]!.AsArray().Select(t => t!.GetValue<int>()), actual.Ids);
        Assert.Equal(expected["token_type_ids"]!.AsArray().Select(t => t!.GetValue<int>()), actual.TokenTypes);
        // HF counts offsets in code points (Python), Road in UTF-16 units (.NET): compare in code points.
        var (q, c) = (new CodePointIndex(question), new CodePointIndex(context));
        var inCodePoints = actual.Offsets.Select((o, i) => actual.TokenTypes[i] == 0 ? (q.ToCodePoint(o.Start), q.ToCodePoint(o.End)) : (c.ToCodePoint(o.Start), c.ToCodePoint(o.End)));
        Assert.Equal(expected["offsets"]!.AsArray().Select(o => (o![0]!.GetValue<int>(), o[1]!.GetValue<int>())), inCodePoints);
    }
}

/// <summary>UTF-16 and code-point indices around characters outside the BMP.</summary>
public sealed class CodePointIndexTests
{
    [Fact]
    public void Indices_shift_after_an_astral_character_and_round_trip()
    {
        var index = new CodePointIndex("a😀b");
        Assert.Equal([0, 1, 1, 2, 3], Enumerable.Range(0, 5).Select(index.ToCodePoint));
        Assert.Equal(3, index.ToUtf16(2));
        Assert.Equal(1, index.ToUtf16(1));
        Assert.Equal(-1, index.ToUtf16(9));
    }
}
