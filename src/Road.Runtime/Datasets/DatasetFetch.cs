using Road.Hub;

namespace Road.Datasets;

/// <summary>
/// FetchData: downloads a dataset's files as its manifest entry says (URLs through <see cref="DataMirror"/>, Hub
/// files at their pinned commit), verifies each (pinned hash, else the hash recorded at the first download, else the
/// Hub's), unpacks archives, and writes <c>$ROAD_DATA/&lt;dataset&gt;/</c> with a <c>fetch.json</c>.
/// </summary>
public sealed class DatasetFetch(HubSettings settings, DataMirror mirror, IDownloadProgress progress, DatasetManifest? manifest = null)
{
    public const string DownloadsFolder = ".downloads";

    private DatasetManifest Manifest => manifest ?? DatasetManifest.Road;

    public DatasetRecord Fetch(string name, string dataRoot)
    {
        var dataset = Manifest.Find(name);
        string folder = Path.Combine(dataRoot, dataset.Name);
        var previous = DatasetRecord.Read(folder);
        if (settings.Offline) return VerifyOffline(dataset, folder, previous);
        using var http = new HttpSource(settings.Endpoint, settings.Token);
        var sources = new List<DownloadedSource>();
        var files = new List<FetchedFile>();
        foreach (var file in dataset.Files)
        {
            string id = SourceId(file);
            var recorded = previous?.Sources.FirstOrDefault(s => s.Source == id);
            var made = previous?.Files.Where(f => f.Source == id && file.Outputs.Contains(f.Path)).ToList() ?? [];
            if (recorded is not null && made.Count == file.Outputs.Count() && made.All(f => f.Problem(folder) is null))
            {
                progress.Note($"  {dataset.Name}/{file.Name}: already here, verified");
                sources.Add(recorded);
                files.AddRange(made);
                continue;
            }
            var (url, expected, size) = Locate(file, recorded, http);
            string target = Path.Combine(folder, file.Output ?? Path.Combine(DownloadsFolder, file.Name));
            // An archive kept from an earlier fetch is unpacked again rather than downloaded again, once it verifies.
            var hash = expected is { } kept && File.Exists(target) && kept.Of(target) == kept ? kept
                : new VerifiedDownload(http, progress).Fetch(url, target, $"{dataset.Name}/{file.Name}", size, expected);
            var sha256 = hash.Kind == HashKind.Sha256 ? hash : ContentHash.Compute(HashKind.Sha256, target);
            sources.Add(new DownloadedSource(id, new FileInfo(target).Length, sha256.ToString(), file.PinnedHash is not null));
            if (file.Unpack is { } kind)
            {
                ArchiveMembers.Extract(kind, target, file.Members!.ToDictionary(m => m.Key, m => Path.Combine(folder, m.Value)));
                files.AddRange(file.Members!.Values.Select(output => Made(folder, output, id, ContentHash.Compute(HashKind.Sha256, Path.Combine(folder, output)))));
            }
            else
            {
                files.Add(Made(folder, file.Output!, id, sha256));
            }
        }
        var record = new DatasetRecord(dataset.Name, DateTimeOffset.UtcNow, sources, files);
        record.Write(folder);
        return record;
    }

    /// <summary>How fetch.json names a download: its URL (before any mirror), or <c>hf://datasets/repo@commit/path</c>.</summary>
    public static string SourceId(SourceFile file) => file.Hub is { } hub ? $"hf://datasets/{hub.Repo}@{hub.Commit}/{hub.Path}" : file.Url!;

    private (Uri Url, ContentHash? Expected, long? Size) Locate(SourceFile file, DownloadedSource? recorded, HttpSource http)
    {
        var known = file.Sha256 is { } sha ? ContentHash.Sha256(sha) : recorded is not null ? ContentHash.Parse(recorded.Sha256) : file.PinnedHash;
        long? size = file.Size ?? recorded?.Size;
        if (file.Hub is not { } hub) return (mirror.Rewrite(new Uri(file.Url!)), known, size);
        var repo = HubRepository.Dataset(hub.Repo);
        var url = repo.ResolveUrl(settings.Endpoint, hub.Commit, hub.Path);
        if (known is not null && size is not null) return (url, known, size);
        var head = new HubClient(settings, http).Head(repo, hub.Commit, hub.Path);
        return (url, known ?? head.Hash, size ?? head.Size);
    }

    private static FetchedFile Made(string folder, string output, string source, ContentHash sha256) =>
        new(output, new FileInfo(Path.Combine(folder, output)).Length, sha256.ToString(), source);

    private DatasetRecord VerifyOffline(DatasetSource dataset, string folder, DatasetRecord? previous)
    {
        string fetch = $"run FetchData --dataset {dataset.Name} where the network can be reached";
        if (previous is null)
            throw new RoadException($"HF_HUB_OFFLINE is set and {folder} holds no fetched dataset (no {FetchRecord.FileName}); {fetch}.");
        var problems = dataset.Files.SelectMany(f => f.Outputs)
            .Select(output => previous.Files.FirstOrDefault(f => f.Path == output) is { } made ? made.Problem(folder) : $"{output} was never fetched")
            .OfType<string>().ToList();
        if (problems.Count > 0)
            throw new RoadException($"HF_HUB_OFFLINE is set and {folder} is incomplete: {string.Join("; ", problems)}; {fetch}.");
        progress.Note($"{dataset.Name}: every file is present and verified (offline)");
        return previous;
    }
}
