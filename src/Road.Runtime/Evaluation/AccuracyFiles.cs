using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Road.Data.Readers;

namespace Road.Evaluation;

/// <summary>
/// Accuracy of predicted labels against a labelled dataset file. Predictions are a JSON object (example id -> label) or
/// a JSON array (labels in the file's order); a label is its name ("entailment", "1") or its index.
/// </summary>
public static class AccuracyFiles
{
    public static AccuracyResult Evaluate(string format, string dataPath, string predictionsPath)
    {
        var contents = DatasetFormats.Read(format, dataPath, new ReaderReport());
        var gold = (contents.Pairs?.Select(p => (p.Id, p.Label)) ?? contents.Texts?.Select(t => (t.Id, t.Label))
            ?? throw new RoadException($"{dataPath}: {format} holds questions, not labelled examples; use --metric squad2.")).ToList();
        JsonNode? root;
        try
        {
            using var stream = DataFile.Open(predictionsPath);
            root = JsonNode.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new RoadException($"{predictionsPath}:{(e.LineNumber ?? 0) + 1}: not valid JSON.");
        }
        int Label(JsonNode? node, string at)
        {
            if (node is JsonValue value && value.TryGetValue(out int index) && index >= 0 && index < contents.LabelNames.Count) return index;
            if (node is JsonValue text && text.TryGetValue(out string? name) && contents.LabelNames.ToList().IndexOf(name) is var i and >= 0) return i;
            throw new RoadException($"{predictionsPath}: {at} should be one of {string.Join(", ", contents.LabelNames)} or an index below {contents.LabelNames.Count}, found {node?.ToJsonString() ?? "null"}.");
        }
        List<int> predicted = root switch
        {
            JsonArray array when array.Count == gold.Count => array.Select((n, i) => Label(n, $"$[{i}]")).ToList(),
            JsonArray array => throw new RoadException($"{predictionsPath}: {array.Count} predictions for the {gold.Count} examples of {dataPath}."),
            JsonObject map => gold.Select(g => map.TryGetPropertyValue(g.Id, out var n)
                ? Label(n, $"$[\"{g.Id}\"]")
                : throw new RoadException($"{predictionsPath} lacks {gold.Count(x => !map.ContainsKey(x.Id))} of {gold.Count} examples; first missing ids: {string.Join(", ", gold.Where(x => !map.ContainsKey(x.Id)).Take(5).Select(x => x.Id))}.")).ToList(),
            _ => throw new RoadException($"{predictionsPath}: expected a JSON object (id -> label) or array (labels in file order)."),
        };
        return AccuracyResult.Of(gold.Select(g => g.Label).ToList(), predicted);
    }

    public static string ToJson(AccuracyResult result) =>
        $"{{\n  \"accuracy\": {SquadV2Result.Py(result.Accuracy)},\n  \"total\": {result.Total.ToString(CultureInfo.InvariantCulture)}\n}}";
}
