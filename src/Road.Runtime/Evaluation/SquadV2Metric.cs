using System.Text;
using System.Text.RegularExpressions;
using Road.Tokenization;

namespace Road.Evaluation;

/// <summary>
/// The SQuAD 2.0 metric exactly as the official <c>evaluate-v2.0.py</c> defines it: answers normalised (lower case,
/// ASCII punctuation removed, the words a/an/the removed, whitespace collapsed), exact match and token-bag F1, the
/// maximum over gold answers (an empty prediction is the only right answer when no gold answer survives
/// normalisation), the no-answer-probability threshold, the HasAns/NoAns breakdown, and the best thresholds.
/// </summary>
public static partial class SquadV2Metric
{
    /// <param name="gold">every question in dataset order: its id and the texts of its gold answers (none when unanswerable)</param>
    /// <param name="predictions">question id -> predicted text ("" for no answer)</param>
    /// <param name="noAnswerProbabilities">question id -> probability of no answer, in the file's order (ties keep it); null when not given</param>
    public static SquadV2Result Evaluate(
        IReadOnlyList<(string Id, IReadOnlyList<string> Answers)> gold,
        IReadOnlyDictionary<string, string> predictions,
        IReadOnlyList<KeyValuePair<string, double>>? noAnswerProbabilities = null,
        double noAnswerThreshold = 1.0)
    {
        // A question id given twice counts once, with its last occurrence, as the official script's dicts do.
        gold = gold.GroupBy(g => g.Id, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        RequireAll(gold, predictions.ContainsKey, "predictions");
        var naProbs = noAnswerProbabilities ?? predictions.Select(p => KeyValuePair.Create(p.Key, 0.0)).ToList();
        var naLookup = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, p) in naProbs) naLookup[id] = p;
        RequireAll(gold, naLookup.ContainsKey, "no-answer probabilities");

        var hasAnswer = gold.ToDictionary(g => g.Id, g => g.Answers.Count > 0, StringComparer.Ordinal);
        var exactRaw = new Dictionary<string, double>(StringComparer.Ordinal);
        var f1Raw = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, answers) in gold)
        {
            var golds = answers.Where(a => Normalize(a).Length > 0).ToList();
            if (golds.Count == 0) golds = [""];
            exactRaw[id] = golds.Max(g => ExactMatch(g, predictions[id]));
            f1Raw[id] = golds.Max(g => TokenF1(g, predictions[id]));
        }
        var exact = Thresholded(exactRaw, naLookup, hasAnswer, noAnswerThreshold);
        var f1 = Thresholded(f1Raw, naLookup, hasAnswer, noAnswerThreshold);
        var all = gold.Select(g => g.Id).ToList();
        var has = all.Where(id => hasAnswer[id]).ToList();
        var no = all.Where(id => !hasAnswer[id]).ToList();
        var result = new SquadV2Result(
            Mean(exact, all), Mean(f1, all), all.Count,
            has.Count > 0 ? Mean(exact, has) : null, has.Count > 0 ? Mean(f1, has) : null, has.Count,
            no.Count > 0 ? Mean(exact, no) : null, no.Count > 0 ? Mean(f1, no) : null, no.Count);
        if (noAnswerProbabilities is null) return result;
        var (bestExact, bestExactThreshold) = BestThreshold(predictions, exactRaw, naProbs, hasAnswer);
        var (bestF1, bestF1Threshold) = BestThreshold(predictions, f1Raw, naProbs, hasAnswer);
        return result with { BestExact = bestExact, BestExactThreshold = bestExactThreshold, BestF1 = bestF1, BestF1Threshold = bestF1Threshold };
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

    /// <summary>lower (Python's, <see cref="PythonLowercase"/>), remove_punc, remove_articles, white_space_fix: the official
    /// normalize_answer, in its order.</summary>
    public static string Normalize(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (char c in PythonLowercase.Lower(text))
            if (!IsAsciiPunctuation(c)) kept.Append(c);
        return string.Join(" ", Articles().Replace(kept.ToString(), " ").Split(PythonWhitespace, StringSplitOptions.RemoveEmptyEntries));
    }

    // Python's string.punctuation: the 32 ASCII punctuation characters and nothing else.
    private static bool IsAsciiPunctuation(char c) => c is >= '!' and <= '/' or >= ':' and <= '@' or >= '[' and <= '`' or >= '{' and <= '~';

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();

    // What Python's str.split() splits on: Unicode whitespace plus the ASCII file, group, record and unit separators.
    private static readonly char[] PythonWhitespace = Enumerable.Range(0, 0x3001).Select(i => (char)i)
        .Where(c => char.IsWhiteSpace(c) || c is '\x1c' or '\x1d' or '\x1e' or '\x1f').ToArray();

    private static string[] Tokens(string text) => Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // apply_no_ans_threshold: above the threshold the question counts as answered "no answer".
    private static Dictionary<string, double> Thresholded(Dictionary<string, double> raw, Dictionary<string, double> naProbs, Dictionary<string, bool> hasAnswer, double threshold) =>
        raw.ToDictionary(kv => kv.Key, kv => naProbs[kv.Key] > threshold ? (hasAnswer[kv.Key] ? 0.0 : 1.0) : kv.Value, StringComparer.Ordinal);

    // find_best_thresh: sweep questions by rising no-answer probability (a stable sort, so ties keep the file's order).
    private static (double Score, double Threshold) BestThreshold(IReadOnlyDictionary<string, string> predictions, Dictionary<string, double> scores,
        IReadOnlyList<KeyValuePair<string, double>> naProbs, Dictionary<string, bool> hasAnswer)
    {
        double current = hasAnswer.Values.Count(h => !h), best = current, bestThreshold = 0.0;
        foreach (var (id, probability) in naProbs.OrderBy(kv => kv.Value))
        {
            if (!scores.TryGetValue(id, out double score)) continue;
            current += hasAnswer[id] ? score : predictions[id].Length > 0 ? -1 : 0;
            if (current > best) (best, bestThreshold) = (current, probability);
        }
        return (100.0 * best / scores.Count, bestThreshold);
    }

    private static void RequireAll(IReadOnlyList<(string Id, IReadOnlyList<string> Answers)> gold, Func<string, bool> has, string what)
    {
        var missing = gold.Where(g => !has(g.Id)).Select(g => g.Id).ToList();
        if (missing.Count > 0)
            throw new RoadException($"the {what} lack {missing.Count} of {gold.Count} questions; first missing ids: {string.Join(", ", missing.Take(5))}.");
    }

    private static double Mean(Dictionary<string, double> scores, IReadOnlyList<string> ids) => 100.0 * ids.Sum(id => scores[id]) / ids.Count;
}
