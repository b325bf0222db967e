using System.Text.Json;
using Road.Encoders;

namespace Road.Hub;

/// <summary>
/// FetchCheckpoint: a Hub model repository's <c>config.json</c>, PyTorch weights (safetensors when the repository
/// has them, else the pickled <c>pytorch_model.bin</c>; shard indexes with their shards) and tokenizer files,
/// verified, into <c>{models}/org/name/</c> with a <c>fetch.json</c>. TF, Flax and ONNX copies are left on the Hub.
/// </summary>
public sealed class CheckpointFetch(HubSettings settings, IDownloadProgress progress)
{
    /// <summary>The tokenizer files Road's tokenizers read; each is fetched when the repository has it.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "spiece.model"];

    private static readonly string[] WeightFiles =
        [CheckpointWeights.Safetensors, CheckpointWeights.Safetensors + ".index.json", CheckpointWeights.PickledWeights, CheckpointWeights.PickledWeights + ".index.json"];

    /// <summary>The folder a repository is fetched into.</summary>
    public static string Folder(string modelsRoot, HubRepository repo) => Path.Combine(modelsRoot, repo.Id.Replace('/', Path.DirectorySeparatorChar));

    public FetchRecord Fetch(string repoId, string revision, string modelsRoot)
    {
        var repo = HubRepository.Model(repoId);
        string folder = Folder(modelsRoot, repo);
        if (settings.Offline) return VerifyOffline(repo, revision, folder);
        using var http = new HttpSource(settings.Endpoint, settings.Token);
        var hub = new HubClient(settings, http);
        string commit = hub.ResolveCommit(repo, revision);
        progress.Note($"{repo} at {revision}: commit {commit}");
        var listing = hub.ListFiles(repo, commit).ToDictionary(f => f.Path, StringComparer.Ordinal);
        var placer = new FilePlacer(repo, commit, folder, settings, http, progress);
        var fetched = Select(repo, listing).Select(placer.Place).ToList();
        if (fetched.FirstOrDefault(f => f.Path.EndsWith(".index.json", StringComparison.Ordinal)) is { } index)
            fetched.AddRange(Shards(Path.Combine(folder, index.Path), repo, listing).Select(placer.Place));
        var previous = FetchRecord.Read(folder);
        var record = new FetchRecord(repo.Id, revision, commit, settings.Endpoint.ToString().TrimEnd('/'), DateTimeOffset.UtcNow, fetched);
        record.Write(folder);
        // A file the previous snapshot had and this one does not (pytorch_model.bin replaced by safetensors) would
        // otherwise be read in place of the new one.
        foreach (var stale in previous?.Files.Where(old => fetched.All(f => f.Path != old.Path)) ?? [])
            File.Delete(Path.Combine(folder, stale.Path));
        return record;
    }

    private static IEnumerable<HubFile> Select(HubRepository repo, IReadOnlyDictionary<string, HubFile> listing)
    {
        yield return listing.GetValueOrDefault("config.json") ?? throw new RoadException($"{repo} has no config.json; Road reads HuggingFace transformers checkpoints.");
        string weights = WeightFiles.FirstOrDefault(listing.ContainsKey) ?? throw new RoadException(
            $"{repo} has no PyTorch weights (model.safetensors or pytorch_model.bin); it holds {string.Join(", ", listing.Keys.Order(StringComparer.Ordinal))}. Road reads PyTorch weights only.");
        yield return listing[weights];
        foreach (string name in TokenizerFiles)
            if (listing.TryGetValue(name, out var file)) yield return file;
    }

    // The shards an index names in its weight_map, each checked to be a plain file name the snapshot lists.
    private static IEnumerable<HubFile> Shards(string indexFile, HubRepository repo, IReadOnlyDictionary<string, HubFile> listing)
    {
        var shards = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            using var index = JsonDocument.Parse(File.ReadAllText(indexFile));
            if (!index.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new RoadException($"{indexFile}: weight_map is missing.");
            foreach (var entry in map.EnumerateObject())
                shards.Add(entry.Value.GetString() ?? throw new RoadException($"{indexFile}: weight_map.{entry.Name} is not a file name."));
        }
        catch (JsonException e)
        {
            throw new RoadException($"{indexFile}: not JSON ({e.Message}).");
        }
        foreach (string shard in shards)
        {
            if (shard.Contains('/') || shard.Contains('\\') || shard.Contains("..", StringComparison.Ordinal))
                throw new RoadException($"{indexFile}: weight_map names \"{shard}\", which is not a file beside the index.");
            yield return listing.GetValueOrDefault(shard) ?? throw new RoadException($"{indexFile}: weight_map names {shard}, which {repo} does not have at this commit.");
        }
    }

    private FetchRecord VerifyOffline(HubRepository repo, string revision, string folder)
    {
        var record = FetchRecord.Read(folder) ?? throw new RoadException(
            $"HF_HUB_OFFLINE is set and {folder} holds no fetched checkpoint (no {FetchRecord.FileName}); run FetchCheckpoint --repo {repo} where the Hub can be reached, or copy a fetched folder here.");
        if (revision != record.Revision && revision != record.Commit)
            throw new RoadException($"HF_HUB_OFFLINE is set and {folder} holds {repo} at {record.Revision} (commit {record.Commit}), not {revision}; fetch it with the network on.");
        var problems = record.Problems(folder);
        if (problems.Count > 0)
            throw new RoadException($"HF_HUB_OFFLINE is set and {folder} is incomplete: {string.Join("; ", problems)}. Fetch it again with the network on.");
        progress.Note($"{repo}: every file of commit {record.Commit} is present and verified (offline)");
        return record;
    }
}
