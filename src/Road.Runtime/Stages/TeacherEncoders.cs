using Road.Pipeline;
using Road.Tokenization;

namespace Road.Stages;

/// <summary>A teacher encoder of the run, ready to finetune: its initial weights, its tokenizer and the features it
/// reads the datasets as.</summary>
public sealed record TeacherModel(TeacherEncoderSpec Spec, InitialEncoder Initial, FeatureStore Features)
{
    public ITokenizer Tokenizer => Initial.Tokenizer;

    /// <summary>What decides what its teachers learn: the encoder's content and its tokenizer.</summary>
    public string Identity => $"teacher encoder {Initial.Identity} tokenizer {Tokenizer.Fingerprint}";

    /// <summary>One line for soft-target provenance and reports.</summary>
    public string Describe() =>
        $"{Spec.Name}: {Spec.Encoder.Family} {(Initial.Folder ?? $"fresh, hidden {Initial.Config.HiddenSize}, {Initial.Config.NumHiddenLayers} layers")}, {Tokenizer.Description}";
}

/// <summary>The run's teacher encoders (<see cref="ExperimentSpec.TeacherEncoders"/>), each read on first use.</summary>
public sealed class TeacherEncoders(ExperimentSpec spec, DataCatalog data)
{
    private readonly Dictionary<string, TeacherModel> _models = new(StringComparer.Ordinal);

    public TeacherModel Get(string name)
    {
        if (_models.TryGetValue(name, out var model)) return model;
        var declared = spec.TeacherEncoder(name);
        var tokenizer = DataCatalog.TokenizerOf(declared.Encoder);
        return _models[name] = new TeacherModel(declared, new InitialEncoder(declared.Encoder, tokenizer), new FeatureStore(data, tokenizer));
    }
}
