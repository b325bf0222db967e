using System.Globalization;
using System.Text;

namespace Road.Evaluation;

/// <summary>The SQuAD 2.0 figures, named and ordered as the official <c>evaluate-v2.0.py</c> prints them.</summary>
public sealed record SquadV2Result(
    double Exact, double F1, int Total,
    double? HasAnsExact, double? HasAnsF1, int HasAnsTotal,
    double? NoAnsExact, double? NoAnsF1, int NoAnsTotal,
    double? BestExact = null, double? BestExactThreshold = null, double? BestF1 = null, double? BestF1Threshold = null)
{
    /// <summary>The official script's keys in its order (HasAns/NoAns only when such questions exist, best_* only with
    /// no-answer probabilities), as JSON with Python's float formatting.</summary>
    public string ToJson()
    {
        var fields = new List<(string Key, string Value)> { ("exact", Py(Exact)), ("f1", Py(F1)), ("total", Total.ToString(CultureInfo.InvariantCulture)) };
        if (HasAnsTotal > 0) fields.AddRange([("HasAns_exact", Py(HasAnsExact!.Value)), ("HasAns_f1", Py(HasAnsF1!.Value)), ("HasAns_total", HasAnsTotal.ToString(CultureInfo.InvariantCulture))]);
        if (NoAnsTotal > 0) fields.AddRange([("NoAns_exact", Py(NoAnsExact!.Value)), ("NoAns_f1", Py(NoAnsF1!.Value)), ("NoAns_total", NoAnsTotal.ToString(CultureInfo.InvariantCulture))]);
        if (BestExact is { } be)
            fields.AddRange([("best_exact", Py(be)), ("best_exact_thresh", Py(BestExactThreshold!.Value)), ("best_f1", Py(BestF1!.Value)), ("best_f1_thresh", Py(BestF1Threshold!.Value))]);
        var text = new StringBuilder("{\n");
        text.AppendJoin(",\n", fields.Select(f => $"  \"{f.Key}\": {f.Value}"));
        return text.Append("\n}").ToString();
    }

    /// <summary>A double as Python's repr writes it: shortest round-trip digits, "100.0" rather than "100", "1e-05".</summary>
    public static string Py(double value)
    {
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        if (s.Contains('E'))
        {
            var (mantissa, exponent) = (s[..s.IndexOf('E')], int.Parse(s[(s.IndexOf('E') + 1)..], CultureInfo.InvariantCulture));
            return $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        return s.Contains('.') || s is "NaN" or "Infinity" or "-Infinity" ? s : s + ".0";
    }
}
