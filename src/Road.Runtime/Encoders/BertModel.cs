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

    public BertEmbeddings(EncoderConfig config, Device? device) : base(nameof(BertEmbeddings))
    {
        word_embeddings = Embedding(config.VocabSize, config.EmbeddingSize, padding_idx: config.PadTokenId, device: device);
        position_embeddings = Embedding(config.MaxPositionEmbeddings, config.EmbeddingSize, device: device);
        token_type_embeddings = Embedding(config.TypeVocabSize, config.EmbeddingSize, device: device);
        LayerNorm = nn.LayerNorm([config.EmbeddingSize], config.LayerNormEps, device: device);
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

    public BertSelfAttention(EncoderConfig config, Device? device) : base(nameof(BertSelfAttention))
    {
        if (config.HiddenSize % config.NumAttentionHeads != 0)
            throw new RoadException($"hidden_size {config.HiddenSize} is not a multiple of num_attention_heads {config.NumAttentionHeads}.");
        query = Linear(config.HiddenSize, config.HiddenSize, device: device);
        key = Linear(config.HiddenSize, config.HiddenSize, device: device);
        value = Linear(config.HiddenSize, config.HiddenSize, device: device);
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

    public BertResidualOutput(int inputSize, EncoderConfig config, Device? device) : base(nameof(BertResidualOutput))
    {
        dense = Linear(inputSize, config.HiddenSize, device: device);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps, device: device);
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

    public BertAttention(EncoderConfig config, Device? device) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config, device);
        output = new BertResidualOutput(config.HiddenSize, config, device);
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

    public BertIntermediate(EncoderConfig config, Device? device) : base(nameof(BertIntermediate))
    {
        dense = Linear(config.HiddenSize, config.IntermediateSize, device: device);
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

    public BertLayer(EncoderConfig config, Device? device) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config, device);
        intermediate = new BertIntermediate(config, device);
        output = new BertResidualOutput(config.IntermediateSize, config, device);
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

    public BertEncoder(EncoderConfig config, Device? device) : base(nameof(BertEncoder))
    {
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config, device)).ToArray());
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

    public BertPooler(EncoderConfig config, Device? device) : base(nameof(BertPooler))
    {
        dense = Linear(config.HiddenSize, config.HiddenSize, device: device);
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

    public BertModel(EncoderConfig config, bool withPooler, Device? device = null) : base(nameof(BertModel), config)
    {
        embeddings = new BertEmbeddings(config, device);
        encoder = new BertEncoder(config, device);
        if (withPooler) pooler = new BertPooler(config, device);
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
