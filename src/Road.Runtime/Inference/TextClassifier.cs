using Road.Data;

namespace Road.Inference;

/// <summary>A classification: the most probable label, and every label's probability in the head's order.</summary>
public sealed record Classification(string Label, IReadOnlyList<KeyValuePair<string, double>> Probabilities)
{
    public double Probability => Probabilities.First(p => p.Key == Label).Value;
}

/// <summary>
/// Classifies sentence pairs (NLI, paraphrase) or single texts (sentiment) with a classification model, truncated as
/// it was trained (its <see cref="TaskCard"/>); the label is the one evaluation predicts. Batched; safe to call from
/// several threads.
/// </summary>
public sealed class TextClassifier
{
    private readonly TrainedModel _model;

    public TextClassifier(TrainedModel model)
    {
        if (model.Card.IsMrc) throw new RoadException($"{model.Folder}: an MRC model answers questions; use QuestionAnswerer.");
        _model = model;
    }

    public IReadOnlyList<string> Labels => _model.Card.Labels!;

    /// <summary>Whether the model reads one text (sentiment) rather than a pair.</summary>
    public bool SingleText => _model.Card.SingleText;

    /// <summary>One input: a pair, or for a single-text model the first text alone.</summary>
    public Classification Classify(string first, string? second = null) => Classify([(first, second)])[0];

    public IReadOnlyList<Classification> Classify(IReadOnlyList<(string First, string? Second)> inputs)
    {
        if (SingleText && inputs.Any(i => i.Second is not null)) throw new RoadException($"{_model.Folder}: the model reads single texts ({_model.Card.Dataset}); pass one text per input.");
        if (!SingleText && inputs.Any(i => i.Second is null)) throw new RoadException($"{_model.Folder}: the model reads sentence pairs ({_model.Card.Dataset}); pass two texts per input.");
        var features = SingleText
            ? PairFeatureBuilder.BuildSingle(inputs.Select((x, i) => new TextExample(Id(i), x.First, 0)).ToList(), _model.Tokenizer, _model.Card.MaxLength)
            : PairFeatureBuilder.Build(inputs.Select((x, i) => new PairExample(Id(i), x.First, x.Second!, 0)).ToList(), _model.Tokenizer, _model.Card.MaxLength);
        return Predict(features);
    }

    /// <summary>A dataset's examples (their labels are not read); <paramref name="done"/> hears how many are through.</summary>
    public IReadOnlyList<Classification> Predict(IReadOnlyList<PairFeature> features, Action<int, int>? done = null)
    {
        var logits = _model.Forward.Logits(features, n => done?.Invoke(n, features.Count));
        return logits.Select(row =>
        {
            // Softmax in double, from the largest logit down, so no exponent overflows.
            double max = row.Max();
            var exp = row.Select(x => Math.Exp(x - max)).ToArray();
            double sum = exp.Sum();
            return new Classification(Labels[Road.Evaluation.TaskEvaluator.ArgMax(row)], Labels.Select((l, i) => KeyValuePair.Create(l, exp[i] / sum)).ToList());
        }).ToList();
    }

    internal IReadOnlyList<PairFeature> Features(IReadOnlyList<PairExample>? pairs, IReadOnlyList<TextExample>? texts) => pairs is not null
        ? PairFeatureBuilder.Build(pairs, _model.Tokenizer, _model.Card.MaxLength)
        : PairFeatureBuilder.BuildSingle(texts!, _model.Tokenizer, _model.Card.MaxLength);

    private static string Id(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
