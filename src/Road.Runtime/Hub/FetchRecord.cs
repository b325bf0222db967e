using System.Text.Json;
using System.Text.Json.Serialization;

namespace Road.Hub;

/// <summary>One verified file of a fetched folder.</summary>
public sealed record FetchedFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("source")] string Source)
{
    /// <summary>What is wrong with the file in <paramref name="folder"/>: missing, another size, another hash; null if nothing.</summary>
    public string? Problem(string folder)
    {
        string path = System.IO.Path.Combine(folder, Path);
        if (!File.Exists(path)) return $"{Path} is missing";
        long length = new FileInfo(path).Length;
        if (length != Size) return $"{Path} has {length} bytes instead of {Size}";
        var hash = ContentHash.Parse(Hash);
        return ContentHash.OfInput(hash.Kind, path) == hash ? null : $"{Path} does not match its {hash}";
    }
}

/// <summary>
/// <c>fetch.json</c>: what a fetched folder holds and where it came from (repository, revision, commit, every file
/// with its size and hash). Written last and atomically, so a folder with it is complete. Holds no credentials.
/// </summary>
public sealed record FetchRecord(
    [property: JsonPropertyName("repo")] string Repo,
    [property: JsonPropertyName("revision")] string Revision,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("endpoint")] string Endpoint,
    [property: JsonPropertyName("fetched_at")] DateTimeOffset FetchedAt,
    [property: JsonPropertyName("files")] IReadOnlyList<FetchedFile> Files)
{
    public const string FileName = "fetch.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static FetchRecord? Read(string folder) => Read<FetchRecord>(folder, "fetch record");

    /// <summary>A folder's <c>fetch.json</c> as <typeparamref name="T"/> (a checkpoint's or a dataset's record); null
    /// when there is none, one error naming the file when it is not one Road wrote.</summary>
    internal static T? Read<T>(string folder, string what) where T : class
    {
        string path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{path}: not a {what} Road wrote ({e.Message}); delete it and fetch again.");
        }
    }

    /// <summary>What is wrong with the folder's files against this record: missing, another size, another hash.</summary>
    public IReadOnlyList<string> Problems(string folder) => Files.Select(f => f.Problem(folder)).OfType<string>().ToList();

    public void Write(string folder) => AtomicFile.WriteAllText(System.IO.Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options) + "\n");
}
