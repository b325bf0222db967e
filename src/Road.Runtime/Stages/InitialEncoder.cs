using Road.Encoders;
using Road.Tokenization;
using static TorchSharp.torch;

using Road.Pipeline;

namespace Road.Stages;

/// <summary>
/// The encoder every stage of an experiment starts from: the checkpoint folder, read once per run (what it holds that
/// the encoder does not use is listed in <see cref="Ignored"/>), or fresh weights of the declared size drawn from the
/// current stage's seed, with the tokenizer's vocabulary.
/// </summary>
public sealed class InitialEncoder
{
    private readonly EncoderSpec _spec;
    private readonly ITokenizer _tokenizer;
    private readonly bool _fromCheckpoint;
    private readonly Dictionary<string, Tensor>? _weights;

    /// <summary>The tokenizer every encoder of the run reads with, saved beside each trained one.</summary>
    public ITokenizer Tokenizer => _tokenizer;

    public InitialEncoder(ExperimentSpec spec, ITokenizer tokenizer) : this(spec.Encoder, tokenizer)
    {
    }

    /// <summary>The encoder <paramref name="encoder"/> declares (the experiment's, or a teacher encoder).</summary>
    public InitialEncoder(EncoderSpec encoder, ITokenizer tokenizer)
    {
        (_spec, _tokenizer) = (encoder, tokenizer);
        if (encoder.Checkpoint.Length == 0)
        {
            Config = FreshConfig();
            return;
        }
        Folder = DataCatalog.ModelPath(encoder.Checkpoint);
        // A tokenizer with more ids than the checkpoint embeds belongs to another model (fewer is fine: embeddings are
        // often padded to a round size).
        int embedded = EncoderCheckpoint.ReadConfig(Folder).VocabSize;
        if (tokenizer.VocabularySize > embedded)
            throw new RoadException($"{Folder}: the tokenizer ({tokenizer.Description}) has {tokenizer.VocabularySize} ids but the checkpoint embeds {embedded} (config.json vocab_size); they belong to different models.");
        var loaded = EncoderCheckpoint.LoadWithReport(Folder);
        (Config, Ignored, _fromCheckpoint) = (loaded.Encoder.Config, loaded.Ignored, true);
        _weights = loaded.Encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        Parameters = loaded.Encoder.parameters().Sum(p => p.numel());
        loaded.Encoder.Dispose();
    }

    /// <summary>The checkpoint folder, or null for an encoder trained from scratch.</summary>
    public string? Folder { get; }

    /// <summary>The encoder's shape: the checkpoint's config.json, or the declared size.</summary>
    public EncoderConfig Config { get; }

    /// <summary>The checkpoint's parameter count; null for a fresh encoder (known once one is created).</summary>
    public long? Parameters { get; }

    /// <summary>What the initial weights are, by content: the checkpoint's files and their SHA-256 (from fetch.json when
    /// FetchCheckpoint wrote one), or the declared shape of a fresh encoder with its vocabulary size.</summary>
    public string Identity => _identity ??= Folder is null
        ? $"fresh {_spec with { Checkpoint = "", Vocabulary = "" }} vocabulary {_tokenizer.VocabularySize}"
        : Road.Hub.FetchRecord.Read(Folder) is { } fetched && fetched.Problems(Folder).Count == 0
            ? $"checkpoint {fetched.Repo}@{fetched.Commit} {string.Join(" ", fetched.Files.Select(f => f.Hash))}"
            : "checkpoint " + string.Join(" ", Directory.GetFiles(Folder).Order(StringComparer.Ordinal)
                .Select(f => $"{Path.GetFileName(f)}={Road.Hub.ContentHash.OfInput(Road.Hub.HashKind.Sha256, f).Hex}"));

    private string? _identity;

    /// <summary>Checkpoint keys left out on load, with why.</summary>
    public IReadOnlyList<IgnoredKey> Ignored { get; } = [];

    /// <summary>A new encoder: a copy of the checkpoint's weights (nothing drawn), or fresh ones drawn from the torch
    /// generator.</summary>
    public EncoderModel Create()
    {
        if (_fromCheckpoint)
        {
            bool pooler = _weights!.Keys.Any(k => k.StartsWith("pooler.", StringComparison.Ordinal));
            var encoder = ModuleWeights.OnMeta(meta => EncoderModel.Create(Config, pooler, meta));
            ModuleWeights.Assign(encoder, _weights.ToDictionary(kv => kv.Key, kv => kv.Value.clone()));
            return encoder;
        }
        var fresh = EncoderModel.Create(Config);
        WeightInitialization.Apply(fresh);
        return fresh;
    }

    private EncoderConfig FreshConfig() => new()
    {
        ModelType = _spec.Family.ToString().ToLowerInvariant(),
        VocabSize = _tokenizer.VocabularySize,
        PadTokenId = _tokenizer.PadId,
        EmbeddingSize = _spec.EmbeddingSize,
        HiddenSize = _spec.HiddenSize,
        NumHiddenLayers = _spec.Layers,
        NumAttentionHeads = _spec.Heads,
        IntermediateSize = _spec.IntermediateSize,
        MaxPositionEmbeddings = _spec.MaxPositions,
        HiddenDropoutProb = _spec.Dropout,
        AttentionProbsDropoutProb = _spec.Dropout,
    };

    /// <summary>One line per reason: how many keys and the first few.</summary>
    public IEnumerable<string> DescribeIgnored() =>
        Ignored.GroupBy(k => k.Reason).Select(g => $"{g.Count()} {g.Key} key(s) ignored: {string.Join(", ", g.Take(4).Select(k => k.Key))}{(g.Count() > 4 ? ", ..." : "")}");
}
