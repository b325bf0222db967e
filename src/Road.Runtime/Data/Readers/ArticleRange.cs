using System.Globalization;

namespace Road.Data.Readers;

/// <summary>
/// Which articles (elements of <c>data[]</c>) of a SQuAD- or QuAC-format file to read: "a-b" (both included), "a-" (to
/// the end) or "a", counted from 0. It splits one file into training and held-out articles, the way SQuAD's own
/// train and dev sets are split: no paragraph is in both.
/// </summary>
public sealed record ArticleRange(int From, int? To)
{
    public bool Contains(int article) => article >= From && (To is null || article <= To);

    public static ArticleRange? Parse(string text)
    {
        if (text.Length == 0) return null;
        var parts = text.Split('-');
        bool Number(string s, out int n) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        if (parts.Length == 1 && Number(parts[0], out int single)) return new ArticleRange(single, single);
        if (parts.Length == 2 && Number(parts[0], out int from) && (parts[1].Length == 0 || Number(parts[1], out _)))
        {
            int? to = parts[1].Length == 0 ? null : int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (to is null || to >= from) return new ArticleRange(from, to);
        }
        throw new RoadException($"articles \"{text}\": expected \"a-b\", \"a-\" or \"a\" (article indices from 0, a <= b).");
    }

    public override string ToString() => To == From ? $"{From}" : $"{From}-{To}";
}
