using System.Text.Json.Nodes;
using Road.Tokenization;

namespace Road.Tests;

/// <summary>Tokenizers chosen and configured from a checkpoint folder's files, as transformers would load them.</summary>
public sealed class TokenizerFilesTests : IDisposable
{
    private static readonly string Vocab = Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab");
    private readonly string _folder = Directory.CreateTempSubdirectory("road-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Folder(params (string Name, string Text)[] files)
    {
        string folder = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(folder, name), text);
        return folder;
    }

    private string AlbertFolder(string config)
    {
        string folder = Folder((TokenizerFiles.Config, config));
        File.Copy(Path.Combine(Vocab, "albert-30k-clean.model"), Path.Combine(folder, TokenizerFiles.SentencePieceModel));
        return folder;
    }

    public static TheoryData<int> AlbertLines()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < JsonNode.Parse(File.ReadAllText(Path.Combine(Vocab, "albert-pipeline-30k-clean.json")))!.AsArray().Count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(AlbertLines))]
    public void An_albert_folder_normalises_as_hf_then_equals_spm_encode(int line)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Vocab, "albert-pipeline-30k-clean.json")))!.AsArray()[line]!;
        var tokenizer = Assert.IsType<AlbertTokenizer>(TokenizerFiles.Load(AlbertFolder("""{"do_lower_case": true, "remove_space": true, "keep_accents": false}""")));
        string text = expected["text"]!.GetValue<string>();
        var tokens = tokenizer.Tokenize(text);
        Assert.Equal(expected["ids"]!.AsArray().Select(i => i!.GetValue<int>()), tokens.Select(t => t.Id));
        Assert.Equal(expected["pieces"]!.AsArray().Select(p => p!.GetValue<string>()), tokens.Select(t => t.Text));
        // Every piece covers original characters that normalise to it (accents and case aside), in order.
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            Assert.InRange(t.Start, i == 0 ? 0 : tokens[i - 1].Start, text.Length);
            Assert.InRange(t.End, t.Start, text.Length);
            string piece = t.Text.TrimStart('\u2581');
            string original = text[t.Start..t.End];
            if (piece.Length > 0 && original.All(char.IsAsciiLetterOrDigit)) Assert.Equal(piece, original.ToLowerInvariant());
        }
    }

    [Fact]
    public void Albert_offsets_point_into_the_original_text()
    {
        var tokenizer = TokenizerFiles.Load(AlbertFolder("{}"));
        const string text = "The Café Flore";
        var spans = tokenizer.Tokenize(text).Select(t => (t.Text, text[t.Start..t.End])).ToList();
        Assert.Equal([("\u2581the", "The"), ("\u2581ca", "Ca"), ("fe", "fé"), ("\u2581", ""), ("flor", "Flor"), ("e", "e")], spans);
    }

    // A five-word vocabulary makes every normalisation setting visible in the ids.
    private const string SmallVocabulary = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nParis\nparis\nCafé\ncafe\ncafé\n";

    [Theory]
    [InlineData("""{"do_lower_case": false}""", null, "Paris Café", "Paris Café")]
    [InlineData("""{"do_lower_case": true}""", null, "Paris Café", "paris cafe")]
    [InlineData("""{"do_lower_case": true, "strip_accents": false}""", null, "Paris Café", "paris café")]
    [InlineData(null, """{"normalizer": {"type": "BertNormalizer", "lowercase": false}}""", "Paris Café", "Paris Café")]
    [InlineData("""{"do_lower_case": true}""", """{"normalizer": {"type": "BertNormalizer", "lowercase": false}}""", "Paris Café", "paris cafe")]
    [InlineData(null, null, "Paris Café", "paris cafe")]
    public void Wordpiece_settings_come_from_tokenizer_config_then_tokenizer_json(string? config, string? fast, string text, string expected)
    {
        var files = new List<(string, string)> { (TokenizerFiles.Vocabulary, SmallVocabulary) };
        if (config is not null) files.Add((TokenizerFiles.Config, config));
        if (fast is not null) files.Add((TokenizerFiles.Fast, fast));
        var tokenizer = TokenizerFiles.Load(Folder([.. files]));
        Assert.Equal(expected, string.Join(" ", tokenizer.Tokenize(text).Select(t => t.Text)));
        Assert.Equal(9, tokenizer.VocabularySize);
    }

    [Fact]
    public void A_wordpiece_vocabulary_can_come_from_tokenizer_json_alone()
    {
        var fromJson = TokenizerFiles.Load(Folder((TokenizerFiles.Fast, """
            {"normalizer": {"type": "BertNormalizer", "lowercase": true},
             "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "paris": 4, "cafe": 5}}}
            """)));
        Assert.Equal([4, 5, 1], fromJson.Tokenize("Paris café Rome").Select(t => t.Id));
        Assert.Equal((2, 3, 0), (fromJson.ClsId, fromJson.SepId, fromJson.PadId));
    }

    [Theory]
    [InlineData("""{"do_lower_case": "yes"}""", "do_lower_case should be true, false or null, not \"yes\"")]
    [InlineData("""{"do_lower_case": tru""", "not valid JSON")]
    public void A_bad_tokenizer_config_is_one_clear_error(string config, string message)
    {
        string folder = Folder((TokenizerFiles.Vocabulary, SmallVocabulary), (TokenizerFiles.Config, config));
        var error = Assert.Throws<RoadException>(() => TokenizerFiles.Load(folder));
        Assert.StartsWith(Path.Combine(folder, TokenizerFiles.Config) + ":", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_folder_without_tokenizer_files_says_what_it_needs()
    {
        string folder = Folder(("config.json", "{}"));
        var error = Assert.Throws<RoadException>(() => TokenizerFiles.Load(folder));
        Assert.Equal($"{folder}: no tokenizer found; a checkpoint folder holds vocab.txt (BERT, ELECTRA), spiece.model (ALBERT) or a WordPiece tokenizer.json.", error.Message);
    }
}
