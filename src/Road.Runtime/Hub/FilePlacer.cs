namespace Road.Hub;

/// <summary>
/// Puts one file of a Hub snapshot in place, cheapest verified way first: a copy already in the folder, then the
/// official client's cache, then a download. Whatever the way, the hash is checked before the file gets its name.
/// </summary>
internal sealed class FilePlacer(HubRepository repo, string commit, string folder, HubSettings settings, HttpSource http, IDownloadProgress progress)
{
    private readonly HubCache _cache = new(settings.CacheFolder);
    private readonly VerifiedDownload _download = new(http, progress);

    public FetchedFile Place(HubFile file)
    {
        string target = Path.Combine(folder, file.Path);
        if (Verifies(target, file))
        {
            progress.Note($"  {file.Path}: already here, verified");
            return Record(file, "verified on disk");
        }
        if (_cache.Find(repo, commit, file.Path) is { } cached && Verifies(cached, file))
        {
            string partial = VerifiedDownload.PartialPath(target);
            Directory.CreateDirectory(folder);
            File.Copy(cached, partial, overwrite: true);
            File.Move(partial, target, overwrite: true);
            progress.Note($"  {file.Path}: copied from the HuggingFace cache, verified");
            return Record(file, "huggingface cache");
        }
        _download.Fetch(repo.ResolveUrl(settings.Endpoint, commit, file.Path), target, file.Path, file.Size, file.Hash);
        return Record(file, "downloaded");
    }

    private static bool Verifies(string path, HubFile file) =>
        File.Exists(path) && new FileInfo(path).Length == file.Size && file.Hash.Of(path) == file.Hash;

    private static FetchedFile Record(HubFile file, string source) => new(file.Path, file.Size, file.Hash.ToString(), source);
}
