namespace Road.Hub;

/// <summary>
/// The official HuggingFace client's cache (<c>{cache}/models--org--name/snapshots/{commit}/{file}</c>, links into
/// <c>blobs/</c>): a file the user already downloaded with <c>transformers</c> is copied from there after its hash
/// checks out instead of being downloaded again.
/// </summary>
public sealed class HubCache(string folder)
{
    /// <summary>The cached copy of <paramref name="file"/> at <paramref name="commit"/>, or null.</summary>
    public string? Find(HubRepository repo, string commit, string file)
    {
        string path = Path.Combine(folder, repo.CacheFolderName, "snapshots", commit, file);
        return File.Exists(path) ? path : null;
    }
}
