using System.Net;

namespace Road.Hub;

/// <summary>
/// Downloads one file so that only verified bytes ever reach its final path: bytes go to <c>&lt;file&gt;.partial</c>,
/// a later attempt (or run) resumes it with <c>Range</c>, and the rename happens after the size and hash match.
/// A resume is accepted only as a 206 whose <c>Content-Range</c> starts where the partial file ends; a 200 (a server
/// that ignores ranges) or any other start begins the file again.
/// </summary>
public sealed class VerifiedDownload(HttpSource http, IDownloadProgress progress)
{
    /// <summary>Transfers tried per file before giving up; each resumes what the previous one left.</summary>
    public const int Attempts = 5;

    public static string PartialPath(string target) => target + ".partial";

    /// <summary>Fetches <paramref name="url"/> to <paramref name="target"/> and returns the file's hash: the expected
    /// one, or its SHA-256 when nothing was expected (a dataset's first download records it).</summary>
    public ContentHash Fetch(Uri url, string target, string name, long? size, ContentHash? expected)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        string partial = PartialPath(target);
        bool startedOver = false;
        string? lastFailure = null;
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            if (size is { } limit && have > limit) have = Restart(partial);
            bool assembled = have > 0;
            if (size is not { } complete || have < complete || complete == 0)
            {
                try
                {
                    assembled |= Transfer(url, partial, name, have, size);
                }
                catch (TransferException e)
                {
                    lastFailure = e.Message;
                    continue;
                }
            }
            long length = new FileInfo(partial).Length;
            if (size is { } wanted && length < wanted)
            {
                lastFailure = $"the connection closed after {length} of {wanted} bytes";
                continue;
            }
            var actual = size is { } expectedLength && length != expectedLength ? (ContentHash?)null
                : expected is { } hash ? hash.Of(partial) : ContentHash.Compute(HashKind.Sha256, partial);
            if (actual is { } got && (expected is null || got == expected))
            {
                File.Move(partial, target, overwrite: true);
                return got;
            }
            File.Delete(partial);
            // Bytes joined from several transfers may come from two versions of the file: one clean start is fair.
            if (assembled && !startedOver)
            {
                startedOver = true;
                progress.Note($"  {name}: the assembled file did not verify; downloading it again from the start");
                continue;
            }
            string found = actual is { } wrong ? $"got {wrong}" : $"got {length} bytes instead of {size}";
            throw new RoadException($"{name}: the downloaded bytes do not match: expected {(expected?.ToString() ?? $"{size} bytes")}, {found} (from {url.Host}). " +
                $"Nothing was written to {target}; run again, and if it happens again the source has changed or something between rewrites it.");
        }
        long kept = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        throw new RoadException($"{name}: the download failed {Attempts} times, last: {lastFailure}. " +
            (kept > 0 ? $"{ConsoleDownloadProgress.Size(kept)} are kept in {partial}; run again to resume from there." : "Check the network and run again."));
    }

    // One request; returns whether bytes were appended to a partial file (a resume).
    private bool Transfer(Uri url, string partial, string name, long have, long? size)
    {
        using var response = http.Send(HttpMethod.Get, url, have > 0 ? have : null);
        bool append = false;
        switch (response.Status)
        {
            case HttpStatusCode.OK:
                break;
            case HttpStatusCode.PartialContent when have > 0 && response.Message.Content.Headers.ContentRange is { From: { } from } && from == have:
                append = true;
                break;
            case HttpStatusCode.PartialContent:
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                Restart(partial);
                throw new TransferException($"the server answered {(int)response.Status} to a resume at byte {have}; starting over");
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new RoadException($"{name}: {url.Host} answered {(int)response.Status} {response.Status}: the file needs access you do not have. " +
                    "For a gated or private Hub repository accept its terms on the Hub and set HF_TOKEN to a token with read access.");
            case HttpStatusCode.NotFound:
                throw new RoadException($"{name}: not found at {url} (404); check the name and revision.");
            case >= HttpStatusCode.InternalServerError:
                throw new TransferException($"{url.Host} answered {(int)response.Status}");
            default:
                throw new RoadException($"{name}: {url} answered {(int)response.Status} {response.Status}.");
        }
        if (!append) have = 0;
        using var body = http.OpenBody(response.Message);
        using var file = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var transfer = progress.Start(name, size, have);
        var buffer = new byte[1 << 20];
        long written = have;
        for (int read; (read = http.Read(body, buffer)) > 0;)
        {
            if (size is { } limit && written + read > limit)
                throw new RoadException($"{name}: {url.Host} sent more than the expected {limit} bytes; the source has changed. Nothing was written to the final path.");
            file.Write(buffer, 0, read);
            written += read;
            transfer.Advance(read);
        }
        return append;
    }

    private static long Restart(string partial)
    {
        File.Delete(partial);
        return 0;
    }
}
