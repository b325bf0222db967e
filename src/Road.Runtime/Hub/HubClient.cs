using System.Net;
using System.Text.Json;

namespace Road.Hub;

/// <summary>One file of a Hub snapshot as the tree API lists it.</summary>
public sealed record HubFile(string Path, long Size, ContentHash Hash);

/// <summary>The Hub's answer to a HEAD on a file.</summary>
public sealed record HubFileHead(string Commit, ContentHash? Hash, long? Size);

/// <summary>The Hub's metadata calls: which commit a revision is, and which files that commit holds.</summary>
public sealed class HubClient(HubSettings settings, HttpSource http)
{
    /// <summary>The commit <paramref name="revision"/> points at, from the <c>X-Repo-Commit</c> header of a HEAD on a
    /// file every model repository has.</summary>
    public string ResolveCommit(HubRepository repo, string revision, string probeFile = "config.json") => Head(repo, revision, probeFile).Commit;

    /// <summary>What a HEAD on a file's resolve URL says: the commit, and the file's hash and size when the Hub sends them.</summary>
    public HubFileHead Head(HubRepository repo, string revision, string file)
    {
        using var response = Call(HttpMethod.Head, repo.ResolveUrl(settings.Endpoint, revision, file), repo, revision);
        string commit = response.Commit is { Length: > 0 } c ? c
            : throw new RoadException($"{settings.Endpoint.Host} answered for {repo} at {revision} without an X-Repo-Commit header; is HF_ENDPOINT a HuggingFace Hub?");
        return new HubFileHead(commit, ContentHash.FromEtag(response.LinkedEtag), response.LinkedSize ?? response.Message.Content.Headers.ContentLength);
    }

    /// <summary>Every file at the top of the snapshot (the tree API, page by page along its <c>Link: rel="next"</c>).</summary>
    public IReadOnlyList<HubFile> ListFiles(HubRepository repo, string commit)
    {
        var files = new List<HubFile>();
        for (Uri? page = repo.TreeUrl(settings.Endpoint, commit); page is not null;)
        {
            using var response = Call(HttpMethod.Get, page, repo, commit);
            string json = response.Message.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            files.AddRange(ParseTree(json, page));
            page = NextPage(response.Message, page);
        }
        return files;
    }

    private RemoteResponse Call(HttpMethod method, Uri url, HubRepository repo, string revision)
    {
        RemoteResponse response;
        try
        {
            response = http.Send(method, url);
        }
        catch (TransferException e)
        {
            throw new RoadException($"cannot reach the Hub at {settings.Endpoint}: {e.Message}. Check the network, or HF_ENDPOINT; set HF_HUB_OFFLINE=1 to use folders already fetched.");
        }
        if (response.Status == HttpStatusCode.OK || (method == HttpMethod.Head && response.Commit is not null)) return response;
        response.Dispose();
        throw response.Status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RoadException(settings.HasToken
                ? $"the Hub refused HF_TOKEN for {repo} ({(int)response.Status}); check that the token has read access and that you accepted the repository's terms."
                : $"the Hub answered {(int)response.Status} for {repo}: it is gated, private or does not exist. Set HF_TOKEN to a token with read access (https://huggingface.co/settings/tokens)."),
            HttpStatusCode.NotFound => new RoadException($"{repo} at revision \"{revision}\" was not found on {settings.Endpoint} (404); check the repository id and --revision."),
            _ => new RoadException($"the Hub answered {(int)response.Status} {response.Status} for {url}."),
        };
    }

    private static IEnumerable<HubFile> ParseTree(string json, Uri page)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new RoadException($"{page}: the tree listing is not JSON ({e.Message}).");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new RoadException($"{page}: the tree listing is not a JSON array.");
            var files = new List<HubFile>();
            int index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                string at = $"{page}: [{index++}]";
                if (Text(entry, "type", at) != "file") continue;
                string path = Text(entry, "path", at);
                var hash = entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object
                    ? ContentHash.Sha256(Text(lfs, "oid", at + ".lfs"))
                    : ContentHash.GitBlob(Text(entry, "oid", at));
                long size = entry.TryGetProperty("size", out var s) && s.TryGetInt64(out long n) ? n : throw new RoadException($"{at}.size is missing.");
                files.Add(new HubFile(path, size, hash));
            }
            return files;
        }
    }

    private static string Text(JsonElement element, string name, string at) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!
        : throw new RoadException($"{at}.{name} is missing from the tree listing.");

    // Link: <https://huggingface.co/api/models/x/tree/main?cursor=...>; rel="next"
    private static Uri? NextPage(HttpResponseMessage response, Uri page)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (string link in links.SelectMany(l => l.Split(',')))
        {
            string[] parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length < 2 || !parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\"")) continue;
            string target = parts[0].Trim('<', '>');
            return Uri.TryCreate(page, target, out var next) ? next : null;
        }
        return null;
    }
}
