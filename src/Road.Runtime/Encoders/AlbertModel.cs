using Road.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Encoders;

// ALBERT (Lan et al. 2020), laid out as HuggingFace's modeling_albert.py: factorised embeddings at embedding_size,
// a mapping to hidden_size, and num_hidden_groups groups of inner_group_num layers shared across num_hidden_layers.

/// <summary>ALBERT's attention block: projections, attention, output dense, dropout, residual and LayerNorm in one module.</summary>
public sealed class AlbertAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout output_dropout;
    private readonly int _heads;
    private readonly double _attentionDropout;

    public AlbertAttention(EncoderConfig config, Device? device) : base(nameof(AlbertAttention))
    {
        query = Linear(config.HiddenSize, config.HiddenSize, device: device);
        key = Linear(config.HiddenSize, config.HiddenSize, device: device);
        value = Linear(config.HiddenSize, config.HiddenSize, device: device);
        dense = Linear(config.HiddenSize, config.HiddenSize, device: device);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps, device: device);
        output_dropout = Dropout(config.HiddenDropoutProb);
        _heads = config.NumAttentionHeads;
        _attentionDropout = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        var context = MultiHeadAttention.Attend(query.forward(hidden), key.forward(hidden), value.forward(hidden), attendMask, _heads, training ? _attentionDropout : 0.0);
        return LayerNorm.forward(hidden.Add(output_dropout.forward(dense.forward(context)))).MoveToOuterDisposeScope();
    }
}

/// <summary>One ALBERT layer: attention, then the feed-forward block with its own residual and LayerNorm.</summary>
public sealed class AlbertLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly AlbertAttention attention;
    private readonly Linear ffn;
    private readonly Linear ffn_output;
    private readonly LayerNorm full_layer_layer_norm;
    private readonly Dropout dropout;
    private readonly Func<Tensor, Tensor> _activation;

    public AlbertLayer(EncoderConfig config, Device? device) : base(nameof(AlbertLayer))
    {
        attention = new AlbertAttention(config, device);
        ffn = Linear(config.HiddenSize, config.IntermediateSize, device: device);
        ffn_output = Linear(config.IntermediateSize, config.HiddenSize, device: device);
        full_layer_layer_norm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps, device: device);
        dropout = Dropout(config.HiddenDropoutProb);
        _activation = Activations.ByName(config.HiddenAct);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(hidden, attendMask);
        var expanded = ffn_output.forward(_activation(ffn.forward(attended)));
        return full_layer_layer_norm.forward(dropout.forward(expanded).Add(attended)).MoveToOuterDisposeScope();
    }
}

/// <summary>A group of <c>inner_group_num</c> layers, applied in order.</summary>
public sealed class AlbertLayerGroup : Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<AlbertLayer> albert_layers;

    public AlbertLayerGroup(EncoderConfig config, Device? device) : base(nameof(AlbertLayerGroup))
    {
        albert_layers = new ModuleList<AlbertLayer>(Enumerable.Range(0, config.InnerGroupNum).Select(_ => new AlbertLayer(config, device)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in albert_layers) hidden = layer.forward(hidden, attendMask);
        return hidden.MoveToOuterDisposeScope();
    }
}

/// <summary>The embedding-to-hidden mapping and the shared layer groups, applied <c>num_hidden_layers</c> times.</summary>
public sealed class AlbertTransformer : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear embedding_hidden_mapping_in;
    private readonly ModuleList<AlbertLayerGroup> albert_layer_groups;
    private readonly int _layers;

    public AlbertTransformer(EncoderConfig config, Device? device) : base(nameof(AlbertTransformer))
    {
        if (config.NumHiddenGroups <= 0 || config.NumHiddenLayers % config.NumHiddenGroups != 0)
            throw new RoadException($"num_hidden_layers {config.NumHiddenLayers} must be a positive multiple of num_hidden_groups {config.NumHiddenGroups}.");
        embedding_hidden_mapping_in = Linear(config.EmbeddingSize, config.HiddenSize, device: device);
        albert_layer_groups = new ModuleList<AlbertLayerGroup>(Enumerable.Range(0, config.NumHiddenGroups).Select(_ => new AlbertLayerGroup(config, device)).ToArray());
        _layers = config.NumHiddenLayers;
        RegisterComponents();
    }

    public override Tensor forward(Tensor embedded, Tensor attendMask)
    {
        using var scope = NewDisposeScope();
        var hidden = embedding_hidden_mapping_in.forward(embedded);
        int layersPerGroup = _layers / albert_layer_groups.Count;
        for (int i = 0; i < _layers; i++) hidden = albert_layer_groups[i / layersPerGroup].forward(hidden, attendMask);
        return hidden.MoveToOuterDisposeScope();
    }
}

/// <summary>The ALBERT encoder, with the pooler when the checkpoint has one.</summary>
public sealed class AlbertModel : EncoderModel
{
    private readonly BertEmbeddings embeddings;
    private readonly AlbertTransformer encoder;
    private readonly Linear? pooler;

    public AlbertModel(EncoderConfig config, bool withPooler, Device? device = null) : base(nameof(AlbertModel), config)
    {
        embeddings = new BertEmbeddings(config, device);
        encoder = new AlbertTransformer(config, device);
        if (withPooler) pooler = Linear(config.HiddenSize, config.HiddenSize, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        return encoder.forward(embeddings.forward(inputIds, tokenTypeIds), AttendMask(attentionMask)).MoveToOuterDisposeScope();
    }

    public override Tensor? Pool(Tensor lastHiddenState) => pooler?.forward(lastHiddenState.select(1, 0)).tanh();
}
