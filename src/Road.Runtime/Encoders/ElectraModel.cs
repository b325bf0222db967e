using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Road.Encoders;

// ELECTRA's discriminator encoder (Clark et al. 2020), laid out as HuggingFace's modeling_electra.py: BERT's blocks,
// embeddings at embedding_size and a projection to hidden_size when the two differ. No pooler.

/// <summary>The ELECTRA encoder: embeddings, the projection to <c>hidden_size</c> when it differs, and the layers.</summary>
public sealed class ElectraModel : EncoderModel
{
    private readonly BertEmbeddings embeddings;
    private readonly Linear? embeddings_project;
    private readonly BertEncoder encoder;

    public ElectraModel(EncoderConfig config, Device? device = null) : base(nameof(ElectraModel), config)
    {
        embeddings = new BertEmbeddings(config, device);
        if (config.EmbeddingSize != config.HiddenSize) embeddings_project = Linear(config.EmbeddingSize, config.HiddenSize, device: device);
        encoder = new BertEncoder(config, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var hidden = embeddings.forward(inputIds, tokenTypeIds);
        if (embeddings_project is not null) hidden = embeddings_project.forward(hidden);
        return encoder.forward(hidden, AttendMask(attentionMask)).MoveToOuterDisposeScope();
    }
}
