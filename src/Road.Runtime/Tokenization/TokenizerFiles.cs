using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Road.Tokenization;

/// <summary>
/// Picks and configures the tokenizer a checkpoint folder ships: ALBERT's SentencePiece from <c>spiece.model</c>, or
/// WordPiece from <c>vocab.txt</c> (or the vocabulary inside <c>tokenizer.json</c>). Settings come from
/// <c>tokenizer_config.json</c> where it names them (transformers lets them override the fast tokenizer's), then from
/// <c>tokenizer.json</c>'s normaliser, then HF's defaults (uncased).
/// </summary>
public static class TokenizerFiles
{
    public const string Vocabulary = "vocab.txt";
    public const string SentencePieceModel = "spiece.model";
    public const string Config = "tokenizer_config.json";
    public const string Fast = "tokenizer.json";

    /// <summary>The tokenizer of a checkpoint folder, or of a single vocab.txt / spiece.model file.</summary>
    public static ITokenizer Load(string path)
    {
        if (File.Exists(path))
        {
            return path.EndsWith(".model", StringComparison.Ordinal)
                ? AlbertTokenizer.FromModelFile(path)
                : WordPieceTokenizer.FromVocabularyFile(path);
        }
        if (!Directory.Exists(path)) throw new RoadException($"{path}: no such tokenizer file or checkpoint folder.");
        string configFile = Path.Combine(path, Config), fastFile = Path.Combine(path, Fast);
        var config = ReadObject(configFile);
        var fast = ReadObject(fastFile);
        string spiece = Path.Combine(path, SentencePieceModel);
        if (File.Exists(spiece))
            return AlbertTokenizer.FromModelFile(spiece, new AlbertNormalization(
                Lowercase: Flag(config, "do_lower_case", configFile) ?? true,
                KeepAccents: Flag(config, "keep_accents", configFile) ?? false));
        var normalizer = fast?["normalizer"] as JsonObject;
        var normalization = new BertNormalization(
            Lowercase: Flag(config, "do_lower_case", configFile) ?? Flag(normalizer, "lowercase", fastFile) ?? true,
            StripAccents: Flag(config, "strip_accents", configFile) ?? Flag(normalizer, "strip_accents", fastFile),
            SplitChineseCharacters: Flag(config, "tokenize_chinese_chars", configFile) ?? Flag(normalizer, "handle_chinese_chars", fastFile) ?? true);
        string vocab = Path.Combine(path, Vocabulary);
        if (File.Exists(vocab)) return WordPieceTokenizer.FromVocabularyFile(vocab, normalization);
        if (fast?["model"] is JsonObject { } model && model["type"]?.GetValue<string>() == "WordPiece" && model["vocab"] is JsonObject words)
            return WordPieceTokenizer.FromVocabulary(new MemoryStream(VocabularyLines(words, fastFile)), normalization);
        throw new RoadException($"{path}: no tokenizer found; a checkpoint folder holds {Vocabulary} (BERT, ELECTRA), {SentencePieceModel} (ALBERT) or a WordPiece {Fast}.");
    }

    // tokenizer.json's {"token": id} as vocab.txt's lines, ids in order.
    private static byte[] VocabularyLines(JsonObject words, string file)
    {
        var byId = new SortedDictionary<int, string>();
        foreach (var (token, id) in words)
        {
            int value = id is JsonValue v && v.TryGetValue(out int n) ? n : throw new RoadException($"{file}: $.model.vocab[\"{token}\"] should be an integer id.");
            if (!byId.TryAdd(value, token)) throw new RoadException($"{file}: $.model.vocab gives id {value} to both \"{byId[value]}\" and \"{token}\".");
        }
        if (byId.Count > 0 && byId.Keys.Last() != byId.Count - 1) throw new RoadException($"{file}: $.model.vocab ids are not 0..{byId.Count - 1}.");
        return Encoding.UTF8.GetBytes(string.Join("\n", byId.Values) + "\n");
    }

    /// <summary>Writes <c>tokenizer_config.json</c> with the normalisation settings a tokenizer saves.</summary>
    internal static void WriteConfig(string folder, JsonObject settings) =>
        AtomicFile.WriteAllText(Path.Combine(folder, Config), settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    private static JsonObject? ReadObject(string file)
    {
        if (!File.Exists(file)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new RoadException($"{file}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{file}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }

    // A setting that is absent or null is unset; one of another type is the file's mistake.
    private static bool? Flag(JsonObject? json, string key, string file) => json?[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out bool flag) => flag,
        var other => throw new RoadException($"{file}: {key} should be true, false or null, not {other.ToJsonString()}."),
    };
}
