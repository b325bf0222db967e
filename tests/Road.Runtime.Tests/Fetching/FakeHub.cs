using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Road.Tests.Fetching;

/// <summary>
/// A loopback imitation of the HuggingFace Hub as its official client sees it: the paginated tree API, resolve URLs
/// with X-Repo-Commit and ETag / X-Linked-Etag, LFS files redirected (302, absolute) to a separate CDN server that
/// honours Range, renamed repositories redirected relatively, and 401 without the right bearer token.
/// </summary>
public sealed class FakeHub : IDisposable
{
    public const string Commit = "4c1c2a43c5b2a1f0e9d8c7b6a5f4e3d2c1b0a998";
    private static readonly string[] LfsExtensions = [".safetensors", ".bin", ".h5", ".msgpack", ".model", ".onnx"];
    private readonly Dictionary<string, Dictionary<string, byte[]>> _repos = [];
    private readonly Dictionary<string, byte[]> _blobs = [];

    public FakeHub()
    {
        Cdn = new LoopbackServer(ServeCdn);
        Server = new LoopbackServer(ServeHub);
    }

    public LoopbackServer Server { get; }

    public LoopbackServer Cdn { get; }

    public Uri Endpoint => Server.Address;

    /// <summary>When set, every Hub call without <c>Authorization: Bearer {token}</c> answers 401.</summary>
    public string? RequiredToken { get; set; }

    public int PageSize { get; set; } = 2;

    /// <summary>Faults of the CDN, by file name.</summary>
    public Dictionary<string, Faults> CdnFaults { get; } = [];

    /// <summary>Old repository id -> new one, answered with a relative 307 as the Hub does for renamed repositories.</summary>
    public Dictionary<string, string> Renamed { get; } = [];

    /// <summary>Adds a model repository (<c>org/name</c>) or a dataset repository (<c>datasets/org/name</c>).</summary>
    public void AddRepository(string id, IReadOnlyDictionary<string, byte[]> files)
    {
        _repos[id] = files.ToDictionary();
        foreach (var (path, bytes) in files.Where(f => IsLfs(f.Key))) _blobs[Sha256(bytes)] = bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string GitBlobSha1(byte[] bytes) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));

    public void Dispose()
    {
        Server.Dispose();
        Cdn.Dispose();
    }

    private static bool IsLfs(string path) => LfsExtensions.Any(e => path.EndsWith(e, StringComparison.Ordinal));

    private void ServeHub(HttpListenerContext context)
    {
        string path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
        if (RequiredToken is not null && context.Request.Headers["Authorization"] != $"Bearer {RequiredToken}")
        {
            context.Response.StatusCode = 401;
            return;
        }
        string[] parts = path.Split('/');
        if (parts is ["datasets", var owner, var dataset, "resolve", var at, ..])
            ServeResolve(context, $"datasets/{owner}/{dataset}", at, string.Join('/', parts[5..]));
        else if (parts is ["api", "models", var org, var name, "tree", var revision, ..])
            if (Renamed.TryGetValue($"{org}/{name}", out string? renamed))
                Redirect(context, $"/api/models/{renamed}/tree/{revision}");
            else
                ServeTree(context, $"{org}/{name}", revision);
        else if (parts.Length >= 5 && parts[2] == "resolve")
            ServeResolve(context, $"{parts[0]}/{parts[1]}", parts[3], string.Join('/', parts[4..]));
        else
            context.Response.StatusCode = 404;
    }

    private void ServeTree(HttpListenerContext context, string repo, string revision)
    {
        if (!_repos.TryGetValue(repo, out var files) || revision is not ("main" or Commit))
        {
            context.Response.StatusCode = 404;
            return;
        }
        int cursor = int.TryParse(context.Request.QueryString["cursor"], out int c) ? c : 0;
        var entries = files.OrderBy(f => f.Key, StringComparer.Ordinal).Skip(cursor).Take(PageSize).Select(f => IsLfs(f.Key)
            ? (object)new { type = "file", path = f.Key, size = f.Value.Length, oid = GitBlobSha1(Encoding.ASCII.GetBytes("pointer " + f.Key)), lfs = new { oid = Sha256(f.Value), size = f.Value.Length, pointerSize = 134 } }
            : new { type = "file", path = f.Key, size = f.Value.Length, oid = GitBlobSha1(f.Value) }).ToList();
        if (cursor == 0) entries.Insert(0, new { type = "directory", path = "onnx", size = 0, oid = GitBlobSha1([]) });
        if (cursor + PageSize < files.Count)
            context.Response.AddHeader("Link", $"<{Endpoint}api/models/{repo}/tree/{revision}?cursor={cursor + PageSize}>; rel=\"next\"");
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entries);
        context.Response.ContentType = "application/json";
        ServedBytes.Serve(context, json);
    }

    private void ServeResolve(HttpListenerContext context, string repo, string revision, string file)
    {
        if (Renamed.TryGetValue(repo, out string? renamed))
        {
            Redirect(context, $"/{renamed}/resolve/{revision}/{file}");
            return;
        }
        if (!_repos.TryGetValue(repo, out var files) || revision is not ("main" or Commit) || !files.TryGetValue(file, out byte[]? bytes))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.AddHeader("X-Repo-Commit", Commit);
        if (IsLfs(file))
        {
            context.Response.StatusCode = 302;
            context.Response.AddHeader("X-Linked-Etag", $"\"{Sha256(bytes)}\"");
            context.Response.AddHeader("X-Linked-Size", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            context.Response.AddHeader("Location", $"{Cdn.Address}blobs/{Sha256(bytes)}?file={Uri.EscapeDataString(file)}");
            return;
        }
        context.Response.AddHeader("ETag", $"W/\"{GitBlobSha1(bytes)}\"");
        ServedBytes.Serve(context, bytes);
    }

    private static void Redirect(HttpListenerContext context, string relative)
    {
        context.Response.StatusCode = 307;
        context.Response.AddHeader("Location", relative);
    }

    private void ServeCdn(HttpListenerContext context)
    {
        string[] parts = context.Request.Url!.AbsolutePath.Trim('/').Split('/');
        if (parts is not ["blobs", var sha] || !_blobs.TryGetValue(sha, out byte[]? bytes))
        {
            context.Response.StatusCode = 404;
            return;
        }
        string file = context.Request.QueryString["file"] ?? "";
        ServedBytes.Serve(context, bytes, CdnFaults.GetValueOrDefault(file));
    }
}
