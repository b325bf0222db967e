namespace Road.Hub;

/// <summary>
/// How Road talks to the HuggingFace Hub, read from the environment variables the official client reads:
/// <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c> (or the older <c>HUGGING_FACE_HUB_TOKEN</c>), <c>HF_HUB_OFFLINE</c>,
/// <c>HF_HUB_CACHE</c> / <c>HF_HOME</c>. A class, not a record, so that the token never appears in a printed value.
/// </summary>
public sealed class HubSettings
{
    public const string PublicEndpoint = "https://huggingface.co";

    public HubSettings(Uri endpoint, string? token, bool offline, string cacheFolder)
    {
        Endpoint = endpoint;
        Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        Offline = offline;
        CacheFolder = cacheFolder;
    }

    /// <summary>The Hub's base address; the token is sent to this origin only, never to a CDN it redirects to.</summary>
    public Uri Endpoint { get; }

    internal string? Token { get; }

    public bool HasToken => Token is not null;

    /// <summary>No network at all: only complete, verified folders are used.</summary>
    public bool Offline { get; }

    /// <summary>The official client's cache (<c>models--org--name/snapshots/commit/…</c>), reused when it holds a file.</summary>
    public string CacheFolder { get; }

    public static HubSettings FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    public static HubSettings FromVariables(Func<string, string?> variable)
    {
        string endpoint = (variable("HF_ENDPOINT") is { Length: > 0 } e ? e : PublicEndpoint).TrimEnd('/');
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new RoadException($"HF_ENDPOINT \"{endpoint}\" is not an http(s) address; unset it to use {PublicEndpoint}.");
        string? token = variable("HF_TOKEN") is { Length: > 0 } t ? t : variable("HUGGING_FACE_HUB_TOKEN");
        bool offline = variable("HF_HUB_OFFLINE") is { } flag && flag.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";
        string home = variable("HF_HOME") is { Length: > 0 } h ? h
            : Path.Combine(variable("XDG_CACHE_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "huggingface");
        string cache = variable("HF_HUB_CACHE") is { Length: > 0 } c ? c : Path.Combine(home, "hub");
        return new HubSettings(new Uri(endpoint + "/"), token, offline, cache);
    }
}
