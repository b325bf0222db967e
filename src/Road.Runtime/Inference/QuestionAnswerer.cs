using Road.Data;
using Road.Evaluation;

namespace Road.Inference;

/// <summary>A question about a context, with an id of the caller's choosing.</summary>
public sealed record Question(string Text, string Context, string Id = "");

/// <summary>
/// A model's answer: <see cref="Text"/> is its prediction ("" when it predicts no answer, as SQuAD 2.0 scores it);
/// <see cref="BestSpan"/> is the best span whatever the prediction, at [<see cref="Start"/>, <see cref="End"/>) in the
/// context with its score (start + end logit); <see cref="NoAnswerProbability"/> as in <c>na_probs.json</c>. QuAC's
/// heads add the follow-up (y, m, n) and yes/no (y, n, x) labels.
/// </summary>
public sealed record Answer(string Id, string Text, string BestSpan, int Start, int End, double Score, double NoAnswerProbability, char? Followup = null, char? YesNo = null)
{
    public bool HasAnswer => Text.Length > 0;
}

/// <summary>
/// Answers questions about contexts of any length with an MRC model: the context is cut into the windows the model
/// was trained on (its <see cref="TaskCard"/>), every window is read, and the best span is chosen with the
/// post-processing evaluation uses, so a model answers here exactly as its run's predictions.json says. Batched:
/// pass many questions at once; safe to call from several threads.
/// </summary>
public sealed class QuestionAnswerer
{
    private readonly TrainedModel _model;
    private readonly MrcWindowSettings _windows;

    public QuestionAnswerer(TrainedModel model)
    {
        if (!model.Card.IsMrc) throw new RoadException($"{model.Folder}: a {model.Card.Kind} model classifies; answer questions with an MRC model, or use TextClassifier.");
        _model = model;
        _windows = new MrcWindowSettings(model.Card.MaxLength, model.Card.Stride, model.Card.MaxQueryLength);
    }

    public Answer Ask(string question, string context) => Ask([new Question(question, context)])[0];

    public IReadOnlyList<Answer> Ask(IReadOnlyList<Question> questions) =>
        Predict(questions.Select((q, i) => new MrcExample(q.Id.Length > 0 ? q.Id : i.ToString(System.Globalization.CultureInfo.InvariantCulture), q.Text, q.Context, [])).ToList());

    /// <summary>Answers a dataset's questions (their gold answers are not read); <paramref name="done"/> hears how
    /// many windows are through, of <paramref name="windows"/>' count.</summary>
    public IReadOnlyList<Answer> Predict(IReadOnlyList<MrcExample> examples, Action<int, int>? done = null)
    {
        var features = MrcFeatureBuilder.Build(examples, _model.Tokenizer, _windows);
        var logits = _model.Forward.Windows(features, n => done?.Invoke(n, features.Count));
        var predictions = new MrcPostProcessor().Predict(examples, features, logits);
        // QuAC's dialog labels come from each question's first window, as evaluation reads them.
        var first = new int[examples.Count];
        for (int w = features.Count - 1; w >= 0; w--) first[features[w].ExampleIndex] = w;
        return predictions.Select((p, e) => new Answer(p.Id, p.Text, p.BestSpan, p.Start, p.End, p.Score, p.NoAnswerProbability,
            Label(logits[first[e]].Followup, "ymn"), Label(logits[first[e]].YesNo, "ynx"))).ToList();
    }

    private static char? Label(float[]? logits, string labels) => logits is null ? null : labels[TaskEvaluator.ArgMax(logits)];
}
