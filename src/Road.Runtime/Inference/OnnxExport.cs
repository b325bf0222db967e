using Onnx;
using Road.Encoders;
using static Road.Inference.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Road.Inference;

/// <summary>
/// A finetuned model (encoder and head) as one ONNX graph, written from Road's own modules: no tracer exists for
/// TorchSharp, so the graph is laid out here op by op after <see cref="BertModel"/>, <see cref="ElectraModel"/>,
/// <see cref="AlbertModel"/> and the heads, and the tests hold ONNX Runtime's outputs to Road's. Inputs:
/// <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> (int64, [batch, sequence], both axes dynamic).
/// Outputs: MRC <c>start_logits</c> and <c>end_logits</c> [batch, sequence] (padding at -1e4, as evaluation
/// masks it), <c>no_answer_logit</c> [batch] and QuAC's <c>followup_logits</c> and <c>yes_no_logits</c> [batch, 3];
/// classification <c>logits</c> [batch, labels]. Opset 17 (LayerNormalization; ONNX Runtime 1.12 and later).
/// </summary>
public static class OnnxExport
{
    public const int Opset = 17;
    private const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float;
    private const TensorProto.Types.DataType Int64 = TensorProto.Types.DataType.Int64;

    public static void Write(EncoderModel model, nn.Module head, TaskCard card, string path)
    {
        var graph = new OnnxGraphBuilder();
        var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (name, tensor) in head.state_dict()) weights["head." + name] = tensor;
        foreach (string input in new[] { "input_ids", "attention_mask", "token_type_ids" }) graph.Input(input, Int64, "batch", "sequence");
        var encoder = new EncoderGraph(graph, weights, model.Config);
        string hidden = encoder.Hidden("input_ids", "attention_mask", "token_type_ids");
        string cls = graph.Node("Gather", [hidden, graph.Long(0)], Int("axis", 1));
        if (card.IsMrc)
        {
            var spans = graph.Nodes("Split", [encoder.Linear(hidden, "head.qa_outputs"), graph.Longs(1, 1)], 2, Int("axis", 2));
            string padding = graph.Node("Equal", ["attention_mask", graph.Long(0)]);
            string Masked(string logits) => graph.Node("Where", [padding, graph.Float((float)Road.Training.MrcObjective.PaddingLogit), graph.Node("Squeeze", [logits, graph.Longs(2)])]);
            graph.Output("start_logits", Masked(spans[0]), Float, "batch", "sequence");
            graph.Output("end_logits", Masked(spans[1]), Float, "batch", "sequence");
            graph.Output("no_answer_logit", graph.Node("Squeeze", [encoder.Linear(cls, "head.answerability"), graph.Longs(1)]), Float, "batch");
            if (card.FollowupHead) graph.Output("followup_logits", encoder.Linear(cls, "head.followup"), Float, "batch", 3);
            if (card.YesNoHead) graph.Output("yes_no_logits", encoder.Linear(cls, "head.yes_no"), Float, "batch", 3);
        }
        else
        {
            string dense = encoder.Activation(encoder.Linear(cls, "head.dense"), "gelu");
            graph.Output("logits", encoder.Linear(dense, "head.out_proj"), Float, "batch", card.Labels!.Count);
        }
        var proto = graph.Model(Opset, "Road", typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, temp =>
        {
            using var file = File.Create(temp);
            using var output = new Google.Protobuf.CodedOutputStream(file);
            proto.WriteTo(output);
        });
    }

    // The encoder's ops, named after the modules whose weights they read.
    private sealed class EncoderGraph(OnnxGraphBuilder graph, Dictionary<string, Tensor> weights, EncoderConfig config)
    {
        public string Hidden(string ids, string mask, string types)
        {
            string length = graph.Node("Gather", [graph.Node("Shape", [ids]), graph.Long(1)], Int("axis", 0));
            string positions = graph.Node("Range", [graph.Long(0), length, graph.Long(1)]);
            string embedded = graph.Node("Add", [
                graph.Node("Add", [Gather("embeddings.word_embeddings", ids), Gather("embeddings.position_embeddings", positions)]),
                Gather("embeddings.token_type_embeddings", types)]);
            string hidden = LayerNorm(embedded, "embeddings.LayerNorm");
            // Padding keys get -1e9 before the softmax: nothing, as the encoder's boolean mask gives them.
            string keep = graph.Node("Cast", [graph.Node("Unsqueeze", [mask, graph.Longs(1, 2)])], Int("to", (long)TensorProto.Types.DataType.Float));
            string bias = graph.Node("Mul", [graph.Node("Sub", [graph.Float(1), keep]), graph.Float(-1e9f)]);
            switch (config.ModelType)
            {
                case "albert":
                    hidden = Linear(hidden, "encoder.embedding_hidden_mapping_in");
                    int perGroup = config.NumHiddenLayers / config.NumHiddenGroups;
                    for (int i = 0; i < config.NumHiddenLayers; i++)
                        for (int inner = 0; inner < config.InnerGroupNum; inner++)
                            hidden = AlbertLayer(hidden, bias, $"encoder.albert_layer_groups.{i / perGroup}.albert_layers.{inner}");
                    return hidden;
                default:
                    if (weights.ContainsKey("embeddings_project.weight")) hidden = Linear(hidden, "embeddings_project");
                    for (int i = 0; i < config.NumHiddenLayers; i++) hidden = BertLayer(hidden, bias, $"encoder.layer.{i}");
                    return hidden;
            }
        }

        private string BertLayer(string hidden, string bias, string prefix)
        {
            string context = Attention(hidden, bias, $"{prefix}.attention.self");
            string attended = LayerNorm(graph.Node("Add", [Linear(context, $"{prefix}.attention.output.dense"), hidden]), $"{prefix}.attention.output.LayerNorm");
            string expanded = Activation(Linear(attended, $"{prefix}.intermediate.dense"), config.HiddenAct);
            return LayerNorm(graph.Node("Add", [Linear(expanded, $"{prefix}.output.dense"), attended]), $"{prefix}.output.LayerNorm");
        }

        private string AlbertLayer(string hidden, string bias, string prefix)
        {
            string context = Attention(hidden, bias, $"{prefix}.attention");
            string attended = LayerNorm(graph.Node("Add", [hidden, Linear(context, $"{prefix}.attention.dense")]), $"{prefix}.attention.LayerNorm");
            string expanded = Linear(Activation(Linear(attended, $"{prefix}.ffn"), config.HiddenAct), $"{prefix}.ffn_output");
            return LayerNorm(graph.Node("Add", [expanded, attended]), $"{prefix}.full_layer_layer_norm");
        }

        // Scaled dot-product attention over heads: [batch, sequence, hidden] in and out.
        private string Attention(string hidden, string bias, string prefix)
        {
            long heads = config.NumAttentionHeads, width = config.HiddenSize / config.NumAttentionHeads;
            string Heads(string x, params long[] order) => graph.Node("Transpose", [graph.Node("Reshape", [x, graph.Longs(0, 0, heads, width)])], Ints("perm", order));
            string query = Heads(Linear(hidden, $"{prefix}.query"), 0, 2, 1, 3);
            string key = Heads(Linear(hidden, $"{prefix}.key"), 0, 2, 3, 1);
            string value = Heads(Linear(hidden, $"{prefix}.value"), 0, 2, 1, 3);
            string scores = graph.Node("Add", [graph.Node("Mul", [graph.Node("MatMul", [query, key]), graph.Float((float)(1 / Math.Sqrt(width)))]), bias]);
            string context = graph.Node("MatMul", [graph.Node("Softmax", [scores], Int("axis", -1)), value]);
            return graph.Node("Reshape", [graph.Node("Transpose", [context], Ints("perm", 0, 2, 1, 3)), graph.Longs(0, 0, config.HiddenSize)]);
        }

        public string Linear(string input, string module) =>
            graph.Node("Add", [graph.Node("MatMul", [input, graph.Weight($"{module}.weight", weights[$"{module}.weight"], transpose: true)]), graph.Weight($"{module}.bias", weights[$"{module}.bias"])]);

        private string LayerNorm(string input, string module) =>
            graph.Node("LayerNormalization", [input, graph.Weight($"{module}.weight", weights[$"{module}.weight"]), graph.Weight($"{module}.bias", weights[$"{module}.bias"])],
                Int("axis", -1), Real("epsilon", (float)config.LayerNormEps));

        private string Gather(string module, string indices) => graph.Node("Gather", [graph.Weight($"{module}.weight", weights[$"{module}.weight"]), indices]);

        /// <summary>The activations <see cref="Activations"/> names, written with ONNX's elementwise ops.</summary>
        public string Activation(string x, string name) => name switch
        {
            // 0.5 x (1 + erf(x / sqrt 2))
            "gelu" => graph.Node("Mul", [graph.Node("Mul", [x, graph.Float(0.5f)]),
                graph.Node("Add", [graph.Float(1), graph.Node("Erf", [graph.Node("Mul", [x, graph.Float((float)(1 / Math.Sqrt(2)))])])])]),
            // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
            "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => graph.Node("Mul", [graph.Node("Mul", [x, graph.Float(0.5f)]),
                graph.Node("Add", [graph.Float(1), graph.Node("Tanh", [graph.Node("Mul", [
                    graph.Node("Add", [x, graph.Node("Mul", [graph.Node("Pow", [x, graph.Float(3)]), graph.Float(0.044715f)])]),
                    graph.Float((float)Math.Sqrt(2 / Math.PI))])])])]),
            "relu" => graph.Node("Relu", [x]),
            "silu" or "swish" => graph.Node("Mul", [x, graph.Node("Sigmoid", [x])]),
            _ => throw new RoadException($"hidden_act \"{name}\" has no ONNX export; Road exports gelu, gelu_new, relu and silu."),
        };
    }
}
