using System.Globalization;
using System.Text;

namespace Road.Evaluation;

/// <summary>The SQuAD 2.0 figures, keyed as the official <c>evaluate-v2.0.py</c> prints them (percentages).</summary>
public sealed record SquadV2Result(
    double Exact, double F1, int Total,
    double? HasAnsExact, double? HasAnsF1, int HasAnsTotal,
    double? NoAnsExact, double? NoAnsF1, int NoAnsTotal);

/// <summary>
/// Exact match and token-bag F1 exactly as the official SQuAD 2.0 script defines them: answers normalised (lower
/// case, punctuation removed, articles removed, whitespace collapsed), the maximum over gold answers, and an empty
/// prediction as the only right answer to an unanswerable question.
/// </summary>
public static class SquadV2Metric
{
    /// <param name="gold">question id -> gold answer texts (empty for unanswerable questions)</param>
    /// <param name="predictions">question id -> predicted text ("" for no answer)</param>
    public static SquadV2Result Evaluate(IReadOnlyDictionary<string, IReadOnlyList<string>> gold, IReadOnlyDictionary<string, string> predictions)
    {
        var missing = gold.Keys.Where(id => !predictions.ContainsKey(id)).Take(5).ToList();
        if (missing.Count > 0)
            throw new RoadException($"predictions lack {gold.Keys.Count(id => !predictions.ContainsKey(id))} questions, first: {string.Join(", ", missing)}.");
        var exact = new Dictionary<string, double>();
        var f1 = new Dictionary<string, double>();
        foreach (var (id, answers) in gold)
        {
            var golds = answers.Where(a => Normalize(a).Length > 0).ToList();
            if (golds.Count == 0) golds = [""];
            exact[id] = golds.Max(g => ExactMatch(g, predictions[id]));
            f1[id] = golds.Max(g => TokenF1(g, predictions[id]));
        }
        var hasAns = gold.Where(kv => kv.Value.Any(a => Normalize(a).Length > 0)).Select(kv => kv.Key).ToList();
        var noAns = gold.Keys.Except(hasAns).ToList();
        return new SquadV2Result(
            Mean(exact, gold.Keys), Mean(f1, gold.Keys), gold.Count,
            hasAns.Count > 0 ? Mean(exact, hasAns) : null, hasAns.Count > 0 ? Mean(f1, hasAns) : null, hasAns.Count,
            noAns.Count > 0 ? Mean(exact, noAns) : null, noAns.Count > 0 ? Mean(f1, noAns) : null, noAns.Count);
    }

    public static double ExactMatch(string gold, string prediction) => Normalize(gold) == Normalize(prediction) ? 1 : 0;

    public static double TokenF1(string gold, string prediction)
    {
        var goldTokens = Tokens(gold);
        var predTokens = Tokens(prediction);
        if (goldTokens.Length == 0 || predTokens.Length == 0) return goldTokens.Length == predTokens.Length ? 1 : 0;
        var counts = goldTokens.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        int common = 0;
        foreach (var t in predTokens)
        {
            if (counts.TryGetValue(t, out int left) && left > 0)
            {
                counts[t] = left - 1;
                common++;
            }
        }
        if (common == 0) return 0;
        double precision = (double)common / predTokens.Length;
        double recall = (double)common / goldTokens.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The official normalisation: lower case, drop punctuation, drop a/an/the, collapse whitespace.</summary>
    public static string Normalize(string text)
    {
        var lowered = text.ToLowerInvariant();
        var kept = new StringBuilder(lowered.Length);
        foreach (char c in lowered)
            if (!IsPunctuation(c)) kept.Append(c);
        return string.Join(" ", kept.ToString().Split(Whitespace, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("a" or "an" or "the")));
    }

    private static readonly char[] Whitespace = [' ', '\t', '\n', '\r', '\v', '\f'];

    // Python's string.punctuation: the ASCII punctuation characters only, as the official script uses.
    private static bool IsPunctuation(char c) => c < 128 && char.IsPunctuation(c) || "$+<=>^`|~".Contains(c);

    private static string[] Tokens(string text) => Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static double Mean(Dictionary<string, double> scores, IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return 100.0 * list.Sum(id => scores[id]) / list.Count;
    }

    public static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
