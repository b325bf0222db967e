using System.Text.Json;
using System.Text.Json.Nodes;

namespace Road.Encoders;

/// <summary>The hyperparameters of a transformer encoder, named and read as HuggingFace's <c>config.json</c> names them.</summary>
public sealed record EncoderConfig
{
    public string ModelType { get; init; } = "electra";
    public int VocabSize { get; init; }
    public int EmbeddingSize { get; init; }
    public int HiddenSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int IntermediateSize { get; init; }
    public string HiddenAct { get; init; } = "gelu";
    public double HiddenDropoutProb { get; init; } = 0.1;
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    public int MaxPositionEmbeddings { get; init; } = 512;
    public int TypeVocabSize { get; init; } = 2;
    public double LayerNormEps { get; init; } = 1e-12;
    public int PadTokenId { get; init; }

    /// <summary>ALBERT: how many distinct layer groups the layers share.</summary>
    public int NumHiddenGroups { get; init; } = 1;

    /// <summary>ALBERT: layers per group.</summary>
    public int InnerGroupNum { get; init; } = 1;

    /// <summary>Reads <c>config.json</c>; a missing or mistyped key is reported with the file and the key.</summary>
    public static EncoderConfig Load(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new RoadException($"{path}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        int hidden = Required<int>(json, path, "hidden_size");
        string positions = Optional(json, path, "position_embedding_type", "absolute");
        if (positions != "absolute")
            throw new RoadException($"{path}: position_embedding_type \"{positions}\" is not supported; Road's encoders use absolute position embeddings.");
        return new EncoderConfig
        {
            ModelType = ModelTypeOf(json, path),
            VocabSize = Required<int>(json, path, "vocab_size"),
            EmbeddingSize = Optional(json, path, "embedding_size", hidden),
            HiddenSize = hidden,
            NumHiddenLayers = Required<int>(json, path, "num_hidden_layers"),
            NumAttentionHeads = Required<int>(json, path, "num_attention_heads"),
            IntermediateSize = Required<int>(json, path, "intermediate_size"),
            HiddenAct = Optional(json, path, "hidden_act", "gelu"),
            HiddenDropoutProb = Optional(json, path, "hidden_dropout_prob", 0.1),
            AttentionProbsDropoutProb = Optional(json, path, "attention_probs_dropout_prob", 0.1),
            MaxPositionEmbeddings = Optional(json, path, "max_position_embeddings", 512),
            TypeVocabSize = Optional(json, path, "type_vocab_size", 2),
            LayerNormEps = Optional(json, path, "layer_norm_eps", 1e-12),
            PadTokenId = Optional(json, path, "pad_token_id", 0),
            NumHiddenGroups = Optional(json, path, "num_hidden_groups", 1),
            InnerGroupNum = Optional(json, path, "inner_group_num", 1),
        };
    }

    /// <summary>Writes the config in HuggingFace's layout, so transformers can read it back.</summary>
    public void Save(string path)
    {
        var json = new JsonObject
        {
            ["model_type"] = ModelType,
            ["architectures"] = new JsonArray(ModelType switch { "electra" => "ElectraModel", "albert" => "AlbertModel", _ => "BertModel" }),
            ["vocab_size"] = VocabSize,
            ["embedding_size"] = EmbeddingSize,
            ["hidden_size"] = HiddenSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["intermediate_size"] = IntermediateSize,
            ["hidden_act"] = HiddenAct,
            ["hidden_dropout_prob"] = HiddenDropoutProb,
            ["attention_probs_dropout_prob"] = AttentionProbsDropoutProb,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["type_vocab_size"] = TypeVocabSize,
            ["layer_norm_eps"] = LayerNormEps,
            ["pad_token_id"] = PadTokenId,
        };
        if (ModelType == "albert")
        {
            json["num_hidden_groups"] = NumHiddenGroups;
            json["inner_group_num"] = InnerGroupNum;
        }
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The model types Road has encoders for.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["electra", "bert", "albert"];

    // model_type, or for configs older than it, the architecture's name (ElectraForPreTraining -> electra).
    private static string ModelTypeOf(JsonObject json, string path)
    {
        string? type = Optional<string?>(json, path, "model_type", null)
            ?? (json["architectures"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "")
                .Select(a => SupportedModelTypes.FirstOrDefault(t => a.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
                .FirstOrDefault(t => t is not null);
        if (type is null) throw new RoadException($"{path}: no \"model_type\" (and no architecture Road knows); set it to one of {string.Join(", ", SupportedModelTypes)}.");
        return SupportedModelTypes.Contains(type)
            ? type
            : throw new RoadException($"{path}: model_type \"{type}\" is not supported; Road has encoders for {string.Join(", ", SupportedModelTypes)}.");
    }

    private static T Required<T>(JsonObject json, string path, string key) =>
        json.ContainsKey(key) ? Read<T>(json, path, key) : throw new RoadException($"{path}: missing key \"{key}\".");

    private static T Optional<T>(JsonObject json, string path, string key, T fallback) =>
        json[key] is null ? fallback : Read<T>(json, path, key);

    private static T Read<T>(JsonObject json, string path, string key)
    {
        try
        {
            return json[key]!.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            string expected = typeof(T) == typeof(int) ? "an integer" : typeof(T) == typeof(double) ? "a number" : "a string";
            throw new RoadException($"{path}: key \"{key}\" should be {expected}, found {json[key]!.ToJsonString()}.");
        }
    }
}
