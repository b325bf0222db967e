using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Encoders;

// ELECTRA's discriminator encoder (Clark et al. 2020), laid out as HuggingFace's modeling_electra.py so that every
// parameter name equals the checkpoint's name without the "electra." prefix.

/// <summary>Word, position and token-type embeddings, LayerNorm and dropout, at <c>embedding_size</c>.</summary>
public sealed class ElectraEmbeddings : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public ElectraEmbeddings(EncoderConfig config) : base(nameof(ElectraEmbeddings))
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
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        var sum = word_embeddings.forward(inputIds) + position_embeddings.forward(positions) + token_type_embeddings.forward(tokenTypeIds);
        return dropout.forward(LayerNorm.forward(sum)).MoveToOuterDisposeScope();
    }
}

/// <summary>Multi-head self-attention through <c>scaled_dot_product_attention</c>, with the padding mask on keys.</summary>
public sealed class ElectraSelfAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly int _heads;
    private readonly double _dropout;

    public ElectraSelfAttention(EncoderConfig config) : base(nameof(ElectraSelfAttention))
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
        long batch = hidden.shape[0], length = hidden.shape[1], width = hidden.shape[2];
        Tensor Split(Tensor x) => x.view(batch, length, _heads, width / _heads).transpose(1, 2);
        var context = nn.functional.scaled_dot_product_attention(
            Split(query.forward(hidden)), Split(key.forward(hidden)), Split(value.forward(hidden)),
            attendMask, training ? _dropout : 0.0);
        return context.transpose(1, 2).reshape(batch, length, width).MoveToOuterDisposeScope();
    }
}

/// <summary>A dense projection, dropout, residual connection and LayerNorm (HF's <c>SelfOutput</c> and <c>Output</c>).</summary>
public sealed class ElectraResidualOutput : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public ElectraResidualOutput(int inputSize, EncoderConfig config) : base(nameof(ElectraResidualOutput))
    {
        dense = Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dropout.forward(dense.forward(input)) + residual).MoveToOuterDisposeScope();
    }
}

/// <summary>Self-attention followed by its output block.</summary>
public sealed class ElectraAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly ElectraSelfAttention self;
    private readonly ElectraResidualOutput output;

    public ElectraAttention(EncoderConfig config) : base(nameof(ElectraAttention))
    {
        self = new ElectraSelfAttention(config);
        output = new ElectraResidualOutput(config.HiddenSize, config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        return output.forward(self.forward(hidden, attendMask), hidden).MoveToOuterDisposeScope();
    }
}

/// <summary>The feed-forward expansion with the configured activation.</summary>
public sealed class ElectraIntermediate : Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Func<Tensor, Tensor> _activation;

    public ElectraIntermediate(EncoderConfig config) : base(nameof(ElectraIntermediate))
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
public sealed class ElectraLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly ElectraAttention attention;
    private readonly ElectraIntermediate intermediate;
    private readonly ElectraResidualOutput output;

    public ElectraLayer(EncoderConfig config) : base(nameof(ElectraLayer))
    {
        attention = new ElectraAttention(config);
        intermediate = new ElectraIntermediate(config);
        output = new ElectraResidualOutput(config.IntermediateSize, config);
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
public sealed class ElectraLayerStack : Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<ElectraLayer> layer;

    public ElectraLayerStack(EncoderConfig config) : base(nameof(ElectraLayerStack))
    {
        layer = new ModuleList<ElectraLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ElectraLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        foreach (var l in layer) hidden = l.forward(hidden, attendMask);
        return hidden.MoveToOuterDisposeScope();
    }
}

/// <summary>The ELECTRA encoder: embeddings, the projection to <c>hidden_size</c> when it differs, and the layers.</summary>
public sealed class ElectraModel : EncoderModel
{
    private readonly ElectraEmbeddings embeddings;
    private readonly Linear? embeddings_project;
    private readonly ElectraLayerStack encoder;

    public ElectraModel(EncoderConfig config) : base(nameof(ElectraModel), config)
    {
        embeddings = new ElectraEmbeddings(config);
        if (config.EmbeddingSize != config.HiddenSize) embeddings_project = Linear(config.EmbeddingSize, config.HiddenSize);
        encoder = new ElectraLayerStack(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var hidden = embeddings.forward(inputIds, tokenTypeIds);
        if (embeddings_project is not null) hidden = embeddings_project.forward(hidden);
        var attendMask = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2);
        return encoder.forward(hidden, attendMask).MoveToOuterDisposeScope();
    }
}
