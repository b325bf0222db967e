using TorchSharp;
using TorchSharp.Modules;
using Road.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Encoders;

// BERT (Devlin et al. 2019), laid out as HuggingFace's modeling_bert.py so that every parameter name equals the
// checkpoint's name without the "bert." prefix. ELECTRA reuses these blocks, as HF's modeling_electra.py copies them.

/// <summary>Word, position and token-type embeddings, LayerNorm and dropout, at <c>embedding_size</c> (BERT: hidden size).</summary>
public sealed class BertEmbeddings : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertEmbeddings(EncoderConfig config) : base(nameof(BertEmbeddings))
    {
        word_embeddings = Embedding(config.VocabSize, config.EmbeddingSize, padding_idx: config.PadTokenId);
        position_embeddings = Embedding(config.MaxPositionEmbeddings, config.EmbeddingSize);
        token_type_embeddings = Embedding(config.TypeVocabSize, config.EmbeddingSize);
        LayerNorm = nn.LayerNorm([config.EmbeddingSize], config.LayerNormEps);
        dropout = Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var positions = ScalarMath.Positions(inputIds.shape[1], inputIds.device).unsqueeze(0);
        var sum = word_embeddings.forward(inputIds).Add(position_embeddings.forward(positions)).Add(token_type_embeddings.forward(tokenTypeIds));
        return dropout.forward(LayerNorm.forward(sum)).MoveToOuterDisposeScope();
    }
}

/// <summary>Multi-head self-attention through <c>scaled_dot_product_attention</c>, with the padding mask on keys.</summary>
public sealed class BertSelfAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly int _heads;
    private readonly double _dropout;

    public BertSelfAttention(EncoderConfig config) : base(nameof(BertSelfAttention))
    {
        if (config.HiddenSize % config.NumAttentionHeads != 0)
            throw new RoadException($"hidden_size {config.HiddenSize} is not a multiple of num_attention_heads {config.NumAttentionHeads}.");
        query = Linear(config.HiddenSize, config.HiddenSize);
        key = Linear(config.HiddenSize, config.HiddenSize);
        value = Linear(config.HiddenSize, config.HiddenSize);
        _heads = config.NumAttentionHeads;
        _dropout = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    /// <param name="hidden">[batch, length, hidden]</param>
    /// <param name="attendMask">bool [batch, 1, 1, length], true where a key may be attended to</param>
    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        return MultiHeadAttention.Attend(query.forward(hidden), key.forward(hidden), value.forward(hidden), attendMask, _heads, training ? _dropout : 0.0)
            .MoveToOuterDisposeScope();
    }
}

/// <summary>A dense projection, dropout, residual connection and LayerNorm (HF's <c>SelfOutput</c> and <c>Output</c>).</summary>
public sealed class BertResidualOutput : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertResidualOutput(int inputSize, EncoderConfig config) : base(nameof(BertResidualOutput))
    {
        dense = Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dropout.forward(dense.forward(input)).Add(residual)).MoveToOuterDisposeScope();
    }
}

/// <summary>Self-attention followed by its output block.</summary>
public sealed class BertAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;

    public BertAttention(EncoderConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config.HiddenSize, config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        return output.forward(self.forward(hidden, attendMask), hidden).MoveToOuterDisposeScope();
    }
}

/// <summary>The feed-forward expansion with the configured activation.</summary>
public sealed class BertIntermediate : Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Func<Tensor, Tensor> _activation;

    public BertIntermediate(EncoderConfig config) : base(nameof(BertIntermediate))
    {
        dense = Linear(config.HiddenSize, config.IntermediateSize);
        _activation = Activations.ByName(config.HiddenAct);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return _activation(dense.forward(hidden)).MoveToOuterDisposeScope();
    }
}

/// <summary>One transformer layer: attention, then feed-forward, each with residual and LayerNorm.</summary>
public sealed class BertLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    public BertLayer(EncoderConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config.IntermediateSize, config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(hidden, attendMask);
        return output.forward(intermediate.forward(attended), attended).MoveToOuterDisposeScope();
    }
}

/// <summary>The stack of layers.</summary>
public sealed class BertEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(EncoderConfig config) : base(nameof(BertEncoder))
    {
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        foreach (var l in layer) hidden = l.forward(hidden, attendMask);
        return hidden.MoveToOuterDisposeScope();
    }
}

/// <summary>The pooler: a dense layer and tanh on the first token ([CLS]).</summary>
public sealed class BertPooler : Module<Tensor, Tensor>
{
    private readonly Linear dense;

    public BertPooler(EncoderConfig config) : base(nameof(BertPooler))
    {
        dense = Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return dense.forward(hidden.select(1, 0)).tanh().MoveToOuterDisposeScope();
    }
}

/// <summary>The BERT encoder: embeddings at hidden size, the layers, and (when the checkpoint has one) the pooler.</summary>
public sealed class BertModel : EncoderModel
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler? pooler;

    public BertModel(EncoderConfig config, bool withPooler) : base(nameof(BertModel), config)
    {
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        if (withPooler) pooler = new BertPooler(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var hidden = embeddings.forward(inputIds, tokenTypeIds);
        return encoder.forward(hidden, AttendMask(attentionMask)).MoveToOuterDisposeScope();
    }

    public override Tensor? Pool(Tensor lastHiddenState) => pooler?.forward(lastHiddenState);
}
