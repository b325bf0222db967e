using System.Text.RegularExpressions;

namespace Road.Hub;

/// <summary>A model or dataset repository on the Hub, named as the Hub names it (<c>org/name</c>).</summary>
public sealed partial record HubRepository(string Id, bool IsDataset = false)
{
    /// <summary>Checks an id the way the Hub does (letters, digits, <c>-_.</c>; one slash) before it becomes a path.</summary>
    public static HubRepository Model(string id) => Checked(id, isDataset: false);

    public static HubRepository Dataset(string id) => Checked(id, isDataset: true);

    /// <summary><c>{endpoint}/{repo}/resolve/{revision}/{file}</c>; dataset repositories take a <c>datasets/</c> prefix.</summary>
    public Uri ResolveUrl(Uri endpoint, string revision, string file) =>
        new(endpoint, $"{UrlPrefix}{Id}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(file)}");

    /// <summary><c>{endpoint}/api/{models|datasets}/{repo}/tree/{revision}</c>.</summary>
    public Uri TreeUrl(Uri endpoint, string revision) =>
        new(endpoint, $"api/{(IsDataset ? "datasets" : "models")}/{Id}/tree/{Uri.EscapeDataString(revision)}");

    /// <summary>Where the official client caches this repository: <c>models--org--name</c>.</summary>
    public string CacheFolderName => $"{(IsDataset ? "datasets" : "models")}--{Id.Replace("/", "--", StringComparison.Ordinal)}";

    public override string ToString() => Id;

    private static HubRepository Checked(string id, bool isDataset)
    {
        if (!IdPattern().IsMatch(id) || id.Contains("..", StringComparison.Ordinal))
            throw new RoadException($"\"{id}\" is not a Hub repository id; write it as ORG/NAME, e.g. google/electra-large-discriminator.");
        return new HubRepository(id, isDataset);
    }

    private string UrlPrefix => IsDataset ? "datasets/" : "";

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex IdPattern();
}
