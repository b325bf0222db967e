using System.Text.Json;
using System.Text.Json.Nodes;
using Road.Stages;
using Road.Training;

namespace Road.Pipeline;

/// <summary><c>stages/&lt;stage&gt;/result.json</c>: written when a stage finishes, read back when a run resumes.</summary>
public static class StageResultFile
{
    public const string Name = "result.json";

    /// <summary>Whether the stage finished in the run folder (its result is written last).</summary>
    public static bool Exists(RunFolder folder, string stage) => File.Exists(folder.File("stages", stage, Name));

    public static void Write(string path, StageResult result)
    {
        var json = new JsonObject
        {
            ["stage"] = result.Stage,
            ["task"] = result.Task,
            ["role"] = result.Role.ToString(),
            ["row"] = result.Row,
            ["metrics"] = new JsonObject(result.Metrics.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["training"] = new JsonObject
            {
                ["steps"] = result.Training.Steps,
                ["first_loss"] = result.Training.FirstLoss,
                ["last_loss"] = result.Training.LastLoss,
            },
        };
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static StageResult Read(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!;
            string stage = json["stage"]!.GetValue<string>();
            var training = json["training"]!;
            return new StageResult(
                stage,
                json["task"]!.GetValue<string>(),
                new TrainingSummary(stage, training["steps"]!.GetValue<int>(), training["first_loss"]!.GetValue<double>(), training["last_loss"]!.GetValue<double>()),
                new SortedDictionary<string, double>(json["metrics"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>()), StringComparer.Ordinal),
                Enum.Parse<StageRole>(json["role"]!.GetValue<string>()),
                json["row"]!.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or ArgumentException)
        {
            throw new RoadException($"{path}: not a stage result Road wrote ({e.Message}); delete the stage folder to rerun the stage.");
        }
    }
}
