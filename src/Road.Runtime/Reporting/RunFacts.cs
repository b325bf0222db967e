using System.Text.Json.Nodes;
using Road.Encoders;

namespace Road.Reporting;

/// <summary>
/// What a run learns about its inputs as it prepares them, recorded in <c>manifest.json</c> and shown to the user
/// before training: the checkpoint's ignored keys, and per dataset and split the examples read, skipped by cause,
/// and the features built.
/// </summary>
public sealed class RunFacts
{
    private readonly JsonObject _data = new();
    private JsonObject? _checkpoint;

    public void Checkpoint(string folder, IReadOnlyList<IgnoredKey> ignored) => _checkpoint = new JsonObject
    {
        ["folder"] = folder,
        ["ignored_keys"] = new JsonObject(ignored.GroupBy(k => k.Reason).Select(g =>
            KeyValuePair.Create(g.Key, (JsonNode?)new JsonArray(g.Select(k => (JsonNode?)JsonValue.Create(k.Key)).ToArray())))),
    };

    public void Dataset(string dataset, string split, JsonObject counts)
    {
        if (_data[dataset] is not JsonObject entry) _data[dataset] = entry = new JsonObject();
        entry[split] = counts;
    }

    /// <summary>The facts as manifest fields: "checkpoint" and "data_read" (each present once known).</summary>
    public IEnumerable<KeyValuePair<string, JsonNode?>> Fields()
    {
        if (_checkpoint is not null) yield return KeyValuePair.Create<string, JsonNode?>("checkpoint", _checkpoint.DeepClone());
        if (_data.Count > 0) yield return KeyValuePair.Create<string, JsonNode?>("data_read", _data.DeepClone());
    }
}
