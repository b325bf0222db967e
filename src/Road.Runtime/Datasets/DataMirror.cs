namespace Road.Datasets;

/// <summary>
/// <c>ROAD_FETCH_MIRROR=URL</c>: every non-Hub download is asked of <c>URL/&lt;original host&gt;/&lt;original path&gt;</c>
/// instead, the layout an air-gapped site mirrors public files in.
/// </summary>
public sealed class DataMirror
{
    public const string Variable = "ROAD_FETCH_MIRROR";

    private readonly Uri? _root;

    /// <param name="root">The mirror's base address; null for no mirror.</param>
    public DataMirror(Uri? root)
    {
        if (root is not null && root.Scheme is not ("http" or "https")) throw new RoadException($"{Variable} \"{root}\" is not an http(s) address.");
        _root = root is null ? null : new Uri(root.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    public static DataMirror FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? new DataMirror(Uri.TryCreate(value, UriKind.Absolute, out var root) ? root : throw new RoadException($"{Variable} \"{value}\" is not an http(s) address."))
            : new DataMirror(null);

    public Uri Rewrite(Uri url) => _root is null ? url : new Uri(_root, $"{url.Host}{url.PathAndQuery}");
}
