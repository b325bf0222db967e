using System.Text.Json;
using Road.Data.Readers;

namespace Road.Evaluation;

/// <summary>The official evaluation over files: a SQuAD 2.0 dataset, predictions.json and (optionally) na_probs.json.</summary>
public static class SquadV2Files
{
    public static SquadV2Result Evaluate(string dataPath, string predictionsPath, string? naProbsPath = null, double naProbThreshold = 1.0)
    {
        var gold = Squad2Reader.Read(dataPath, new ReaderReport())
            .Select(e => (e.Id, (IReadOnlyList<string>)e.Answers.Select(a => a.Text).ToList()))
            .ToList();
        var predictions = ReadObject(predictionsPath, "a string (the predicted answer, \"\" for none)", v => v.ValueKind == JsonValueKind.String ? v.GetString() : null)
            .ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);
        var naProbs = naProbsPath is null
            ? null
            : ReadObject(naProbsPath, "a number (the no-answer probability)", v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null)
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value!.Value)).ToList();
        try
        {
            return SquadV2Metric.Evaluate(gold, predictions, naProbs, naProbThreshold);
        }
        catch (RoadException e)
        {
            throw new RoadException($"{(e.Message.Contains("no-answer") ? naProbsPath : predictionsPath)} against {dataPath}: {e.Message}");
        }
    }

    /// <summary>A JSON object's members in file order, each value converted or reported with its JSON path.</summary>
    public static List<KeyValuePair<string, T>> ReadObject<T>(string path, string expected, Func<JsonElement, T?> convert)
    {
        using var stream = DataFile.Open(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new RoadException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" LineNumber")[0]}).");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new RoadException($"{path}: $ should be an object mapping question ids to {expected}.");
            var members = new List<KeyValuePair<string, T>>();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var value = convert(member.Value) ?? throw new RoadException($"{path}: $[\"{member.Name}\"] should be {expected}, found {member.Value.GetRawText()}.");
                members.Add(KeyValuePair.Create(member.Name, value));
            }
            return members;
        }
    }
}
