using Road.Data;

namespace Road.Evaluation;

/// <summary>The logits one window produced, copied to the CPU.</summary>
public sealed record WindowLogits(float[] Start, float[] End, float NoAnswer, float[]? Followup = null, float[]? YesNo = null);

/// <summary>A question's predicted text ("" for no answer) and its no-answer probability; the best span in any case,
/// with its [start, end) character offsets into the context and its score (start + end logit; no span: "", -1 and
/// negative infinity).</summary>
public sealed record MrcPrediction(string Id, string Text, double NoAnswerProbability, string BestSpan = "", int Start = -1, int End = -1, double Score = double.NegativeInfinity);

/// <summary>
/// SQuAD 2.0 answer selection: per window, the n-best start and end tokens inside the context (a start must be a
/// max-context token), spans no longer than <see cref="MaxAnswerTokens"/>; the best span over all windows is compared
/// with the null score (the smallest [CLS] start + end over windows, as BERT's and HF's scripts do) and, when
/// <see cref="UseAnswerabilityHead"/> is set (ELECTRA's SQuAD 2.0 recipe), the answerability logit is added. The
/// no-answer probability is the sigmoid of that no-answer score; "no answer" is predicted when it is above 0.5.
/// </summary>
public sealed class MrcPostProcessor(int nBest = 20, int maxAnswerTokens = 30, bool useAnswerabilityHead = true)
{
    public int NBest { get; } = nBest;
    public int MaxAnswerTokens { get; } = maxAnswerTokens;
    public bool UseAnswerabilityHead { get; } = useAnswerabilityHead;

    public List<MrcPrediction> Predict(IReadOnlyList<MrcExample> examples, IReadOnlyList<MrcFeature> features, IReadOnlyList<WindowLogits> logits)
    {
        var byExample = features.Select((f, i) => (f, i)).ToLookup(x => x.f.ExampleIndex, x => x.i);
        var predictions = new List<MrcPrediction>(examples.Count);
        for (int e = 0; e < examples.Count; e++)
        {
            double bestScore = double.NegativeInfinity, nullScore = double.PositiveInfinity, noAnswer = double.NegativeInfinity;
            string bestText = "";
            (int Start, int End) bestOffsets = (-1, -1);
            foreach (int w in byExample[e])
            {
                var (feature, window) = (features[w], logits[w]);
                nullScore = Math.Min(nullScore, window.Start[0] + window.End[0]);
                noAnswer = Math.Max(noAnswer, window.NoAnswer);
                foreach (int s in Top(window.Start))
                foreach (int t in Top(window.End))
                {
                    if (t < s || t - s + 1 > MaxAnswerTokens) continue;
                    if (feature.ContextOffset(s).Start < 0 || feature.ContextOffset(t).Start < 0 || !feature.IsMaxContext(s)) continue;
                    double score = window.Start[s] + window.End[t];
                    if (score <= bestScore) continue;
                    bestScore = score;
                    var context = examples[e].Context;
                    bestOffsets = (feature.ContextOffset(s).Start, feature.ContextOffset(t).End);
                    bestText = context[bestOffsets.Start..bestOffsets.End];
                }
            }
            // Positive means "no answer": the span heads' null-versus-best margin plus the answerability logit.
            double noAnswerScore = (nullScore - bestScore) + (UseAnswerabilityHead ? noAnswer : 0);
            predictions.Add(new MrcPrediction(examples[e].Id, noAnswerScore > 0 ? "" : bestText, 1 / (1 + Math.Exp(-noAnswerScore)),
                bestText, bestOffsets.Start, bestOffsets.End, bestScore));
        }
        return predictions;
    }

    private IEnumerable<int> Top(float[] logits) =>
        Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).Take(NBest);
}
