using System.Security.Cryptography;
using System.Text;

namespace Road.Hub;

/// <summary>How a file's expected digest was computed.</summary>
public enum HashKind
{
    /// <summary>SHA-256 of the bytes: the Hub's id of an LFS file, and what dataset manifests pin.</summary>
    Sha256,

    /// <summary>Git's blob id, SHA-1 of <c>"blob {size}\0"</c> followed by the bytes: the Hub's id of a small file.</summary>
    GitBlobSha1,

    /// <summary>MD5: all that some datasets' authors published (SQuAD 2.0, MultiNLI, MRQA's NewsQA).</summary>
    Md5,
}

/// <summary>A digest a downloaded file must have, in lower-case hex.</summary>
public readonly record struct ContentHash(HashKind Kind, string Hex)
{
    public static ContentHash Sha256(string hex) => new(HashKind.Sha256, Normalize(hex, 64));

    public static ContentHash GitBlob(string hex) => new(HashKind.GitBlobSha1, Normalize(hex, 40));

    public static ContentHash Md5(string hex) => new(HashKind.Md5, Normalize(hex, 32));

    /// <summary>Reads an ETag the way the Hub writes it: quoted (and weak for small files), 64 hex digits for LFS
    /// files, 40 for git blobs; null for anything else (a CDN's own tag).</summary>
    public static ContentHash? FromEtag(string? etag)
    {
        if (etag is null) return null;
        string value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"').ToLowerInvariant();
        if (!value.All(char.IsAsciiHexDigit)) return null;
        return value.Length switch
        {
            64 => new ContentHash(HashKind.Sha256, value),
            40 => new ContentHash(HashKind.GitBlobSha1, value),
            _ => null,
        };
    }

    /// <summary>The digest of <paramref name="path"/> in this hash's kind.</summary>
    public ContentHash Of(string path) => Compute(Kind, path);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(HashKind, string, long, DateTime), ContentHash> Remembered = new();

    /// <summary>The hash of an input file (a dataset, a checkpoint's weights), computed once per process while its
    /// length and modification time stay the same: Preflight's verification, the feature cache's data identity and the
    /// stage cache's encoder identity all ask for the same multi-gigabyte files.</summary>
    public static ContentHash OfInput(HashKind kind, string path)
    {
        var file = new FileInfo(path);
        return Remembered.GetOrAdd((kind, file.FullName, file.Length, file.LastWriteTimeUtc), key => Compute(key.Item1, key.Item2));
    }

    public static ContentHash Compute(HashKind kind, string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var hash = IncrementalHash.CreateHash(kind switch
        {
            HashKind.Sha256 => HashAlgorithmName.SHA256,
            HashKind.GitBlobSha1 => HashAlgorithmName.SHA1,
            _ => HashAlgorithmName.MD5,
        });
        if (kind == HashKind.GitBlobSha1) hash.AppendData(Encoding.ASCII.GetBytes($"blob {file.Length}\0"));
        var buffer = new byte[1 << 20];
        for (int read; (read = file.Read(buffer)) > 0;) hash.AppendData(buffer, 0, read);
        return new ContentHash(kind, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>How fetch.json and error messages write it: <c>sha256:…</c>, <c>git-sha1:…</c> or <c>md5:…</c>.</summary>
    public override string ToString() => $"{Kind switch { HashKind.Sha256 => "sha256", HashKind.GitBlobSha1 => "git-sha1", _ => "md5" }}:{Hex}";

    public static ContentHash Parse(string text) =>
        text.StartsWith("sha256:", StringComparison.Ordinal) ? Sha256(text[7..])
        : text.StartsWith("git-sha1:", StringComparison.Ordinal) ? GitBlob(text[9..])
        : text.StartsWith("md5:", StringComparison.Ordinal) ? Md5(text[4..])
        : throw new RoadException($"\"{text}\" is not a hash Road records (sha256:<64 hex>, git-sha1:<40 hex> or md5:<32 hex>).");

    private static string Normalize(string hex, int length)
    {
        string value = hex.Trim().ToLowerInvariant();
        if (value.Length != length || !value.All(char.IsAsciiHexDigit))
            throw new RoadException($"\"{hex}\" is not a {length}-digit hex digest.");
        return value;
    }
}
