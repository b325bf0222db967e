using System.Text.Json;
using System.Text.Json.Serialization;
using Road.Hub;

namespace Road.Datasets;

/// <summary>A download a dataset was made from: its source, size and SHA-256 (pinned by the manifest, or recorded
/// at the first download and required of every later one).</summary>
public sealed record DownloadedSource(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("pinned")] bool Pinned);

/// <summary><c>$ROAD_DATA/&lt;dataset&gt;/fetch.json</c>: the downloads and the files made from them, each with its
/// hash. Written last and atomically: a folder with it is complete.</summary>
public sealed record DatasetRecord(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("fetched_at")] DateTimeOffset FetchedAt,
    [property: JsonPropertyName("sources")] IReadOnlyList<DownloadedSource> Sources,
    [property: JsonPropertyName("files")] IReadOnlyList<FetchedFile> Files)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static DatasetRecord? Read(string folder) => FetchRecord.Read<DatasetRecord>(folder, "dataset record");

    public void Write(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FetchRecord.FileName), JsonSerializer.Serialize(this, Options) + "\n");
}
