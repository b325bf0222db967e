using System.Text.Json;

namespace Road.Data.Readers;

/// <summary>
/// Amazon reviews JSON lines (Ni et al. 2019): <c>overall</c> (a 1-5 rating) and <c>reviewText</c>. The label is the
/// rating minus one. A review without text or without a rating is skipped and counted.
/// </summary>
public static class AmazonReviewsReader
{
    public static IEnumerable<TextExample> Read(string path, ReaderReport report)
    {
        foreach (var (root, at) in JsonLines.Objects(path))
        {
            string? review = root.TryGetProperty("reviewText", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (string.IsNullOrWhiteSpace(review))
            {
                report.Skip("empty review", at.ToString(), "no reviewText");
                continue;
            }
            if (!root.TryGetProperty("overall", out var overall) || overall.ValueKind != JsonValueKind.Number)
            {
                report.Skip("no rating", at.Child("overall").ToString(), "overall is missing or not a number");
                continue;
            }
            double rating = overall.GetDouble();
            if (rating is not (1 or 2 or 3 or 4 or 5)) throw at.Child("overall").Expected("a rating 1 to 5", overall);
            yield return new TextExample($"{at.OptionalString(root, "reviewerID")}:{at.OptionalString(root, "asin")}:{at.Line}", review, (int)rating - 1);
        }
    }
}
