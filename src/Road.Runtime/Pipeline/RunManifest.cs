using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Road.Training;

namespace Road.Pipeline;

/// <summary>
/// What a run's <c>manifest.json</c> says about how it was started, read back so that a stage of the run can run in
/// a process of its own (<c>RunStage</c>, a cluster job) exactly as the whole run would have: the experiment, seed,
/// device, precision, <c>--smoke</c> samples, strictness, checkpoint interval and teacher reuse, and the resolved
/// declaration the run started with.
/// </summary>
public sealed record RunManifest(string Experiment, int Seed, string Device, Precision Precision, string? Smoke, bool Strict, int CheckpointEvery, bool Reuse,
    string Status, JsonNode Config)
{
    public const string File = "manifest.json";

    /// <summary>The experiment's name in the registry (a smoke run's name without its suffix).</summary>
    public string RegistryName => Smoke is null ? Experiment : Experiment[..^SmokeSpec.Suffix.Length];

    public static RunManifest Read(RunFolder folder)
    {
        string path = folder.File(File);
        if (!System.IO.File.Exists(path)) throw new RoadException($"{folder.Path}: no {File}; --run takes a run folder (runs/<experiment>/<run-id>).");
        JsonNode json;
        try
        {
            json = JsonNode.Parse(System.IO.File.ReadAllText(path)) ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{path}: not JSON ({e.Message}).");
        }
        T Field<T>(string jsonPath, JsonNode? node)
        {
            try
            {
                return node is null ? throw new InvalidOperationException("missing") : node.GetValue<T>();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new RoadException($"{path}: {jsonPath} is missing or not a {typeof(T).Name}; the manifest was not written by this version of Road.");
            }
        }
        var invocation = json["invocation"];
        return new RunManifest(
            Field<string>("$.experiment", json["experiment"]),
            Field<int>("$.seed", json["seed"]),
            Field<string>("$.device", json["device"]),
            Enum.Parse<Precision>(Field<string>("$.precision", json["precision"])),
            invocation?["smoke"] is { } smoke ? Field<string>("$.invocation.smoke", smoke) : null,
            Field<bool>("$.invocation.strict", invocation?["strict"]),
            Field<int>("$.invocation.checkpoint_every", invocation?["checkpoint_every"]),
            Field<bool>("$.invocation.reuse", invocation?["reuse"]),
            Field<string>("$.status", json["status"]),
            json["config"] ?? throw new RoadException($"{path}: $.config is missing; the manifest was not written by this version of Road."));
    }

    /// <summary>Sets the manifest's status (and, when completed, its finish time), keeping everything else.</summary>
    public static void SetStatus(RunFolder folder, string status)
    {
        var json = JsonNode.Parse(System.IO.File.ReadAllText(folder.File(File)))!;
        json["status"] = status;
        if (status == "completed") json["finished_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        AtomicFile.WriteAllText(folder.File(File), Road.Reporting.RunDocuments.ToJson(json));
    }
}
