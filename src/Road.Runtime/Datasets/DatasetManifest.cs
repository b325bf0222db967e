using System.Text.Json;
using System.Text.Json.Serialization;
using Road.Hub;

namespace Road.Datasets;

/// <summary>A file in a dataset repository on the Hub, pinned by commit.</summary>
public sealed record HubDatasetFile(
    [property: JsonPropertyName("repo")] string Repo,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("path")] string Path);

/// <summary>
/// One download of a dataset: a URL or a Hub file, what is known of its size and hash, and what it becomes: the file
/// itself (<c>output</c>) or members of an archive (<c>unpack</c>: zip, tar, tar.bz2; <c>members</c>: name in the
/// archive -> output file).
/// </summary>
public sealed record SourceFile(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("hub")] HubDatasetFile? Hub,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("md5")] string? Md5,
    [property: JsonPropertyName("unpack")] string? Unpack,
    [property: JsonPropertyName("output")] string? Output,
    [property: JsonPropertyName("members")] IReadOnlyDictionary<string, string>? Members)
{
    /// <summary>The name this download goes by in messages and in <c>.downloads/</c>.</summary>
    public string Name => Hub is { } hub ? hub.Path.Split('/')[^1] : new Uri(Url!).Segments[^1];

    /// <summary>The files it becomes, as paths inside the dataset's folder.</summary>
    public IEnumerable<string> Outputs => Output is { } single ? [single] : Members!.Values;

    /// <summary>The hash the manifest pins, strongest first; null when the first download records one.</summary>
    public ContentHash? PinnedHash => Sha256 is { } sha ? ContentHash.Sha256(sha) : Md5 is { } md5 ? ContentHash.Md5(md5) : null;
}

/// <summary>A dataset the paper trains or evaluates on, as <c>FetchData --dataset NAME</c> fetches it.</summary>
public sealed record DatasetSource(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("licence")] string Licence,
    [property: JsonPropertyName("verified_here")] bool VerifiedHere,
    [property: JsonPropertyName("files")] IReadOnlyList<SourceFile> Files);

/// <summary>The datasets FetchData knows: Road's own manifest (<c>Datasets/datasets.json</c>), or one a test gives.</summary>
public sealed record DatasetManifest(
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("datasets")] IReadOnlyList<DatasetSource> Datasets)
{
    public static readonly IReadOnlyList<string> ArchiveKinds = ["zip", "tar", "tar.bz2"];

    private static readonly JsonSerializerOptions Options = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>The manifest built into Road.</summary>
    public static DatasetManifest Road { get; } = LoadBuiltIn();

    public DatasetSource Find(string name) =>
        Datasets.FirstOrDefault(d => d.Name == name)
        ?? throw new RoadException($"unknown dataset \"{name}\"; known datasets: {string.Join(", ", Datasets.Select(d => d.Name))}.");

    public static DatasetManifest Parse(string json, string origin)
    {
        DatasetManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DatasetManifest>(json, Options) ?? throw new JsonException("the manifest is null");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{origin}: {e.Path ?? "$"}: {e.Message}");
        }
        manifest.Validate(origin);
        return manifest;
    }

    private void Validate(string origin)
    {
        for (int d = 0; d < Datasets.Count; d++)
        {
            var dataset = Datasets[d];
            string at = $"{origin}: $.datasets[{d}]";
            if (!IsPlainName(dataset.Name)) throw new RoadException($"{at}.name \"{dataset.Name}\" must be a plain folder name.");
            if (string.IsNullOrWhiteSpace(dataset.Licence)) throw new RoadException($"{at}.licence is missing; say under which terms the data may be used.");
            var outputs = new HashSet<string>(StringComparer.Ordinal);
            for (int f = 0; f < dataset.Files.Count; f++)
            {
                var file = dataset.Files[f];
                string fileAt = $"{at}.files[{f}]";
                if ((file.Url is null) == (file.Hub is null)) throw new RoadException($"{fileAt}: give either url or hub.");
                if (file.Url is not null && (!Uri.TryCreate(file.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
                    throw new RoadException($"{fileAt}.url \"{file.Url}\" is not an http(s) address.");
                if (file.Hub is { } hub && (hub.Commit.Length != 40 || !hub.Commit.All(char.IsAsciiHexDigit)))
                    throw new RoadException($"{fileAt}.hub.commit \"{hub.Commit}\" is not a 40-digit commit; pin Hub files by commit, never by branch.");
                _ = file.PinnedHash;
                if (file.Unpack is null ? file.Output is null || file.Members is not null : !ArchiveKinds.Contains(file.Unpack) || file.Members is not { Count: > 0 } || file.Output is not null)
                    throw new RoadException($"{fileAt}: give output (a file used as it is) or unpack ({string.Join(", ", ArchiveKinds)}) with members.");
                foreach (string output in file.Outputs)
                {
                    if (!IsRelativePath(output)) throw new RoadException($"{fileAt}: output \"{output}\" must be a relative path inside the dataset folder.");
                    if (!outputs.Add(output)) throw new RoadException($"{fileAt}: output \"{output}\" is written twice.");
                }
            }
        }
    }

    private static bool IsPlainName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool IsRelativePath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && path.Split('/').All(part => part.Length > 0 && part != ".." && part != "." && !part.Contains('\\'));

    private static DatasetManifest LoadBuiltIn()
    {
        using var stream = typeof(DatasetManifest).Assembly.GetManifestResourceStream("Road.Datasets.datasets.json")
            ?? throw new InvalidOperationException("the dataset manifest is not embedded in Road.Runtime.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "Road.Runtime/Datasets/datasets.json");
    }
}
