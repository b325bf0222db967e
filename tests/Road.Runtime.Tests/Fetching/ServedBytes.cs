using System.Net;

namespace Road.Tests.Fetching;

/// <summary>What a test server does wrong when it serves a file.</summary>
public sealed class Faults
{
    private int _drops;

    /// <summary>The next N answers send half of what they promise, then drop the connection.</summary>
    public int Drops { get => _drops; set => _drops = value; }

    /// <summary>Answer 200 with the whole file to a Range request (a CDN that ignores ranges).</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Answer 206 from byte 0 whatever the Range asked for.</summary>
    public bool WrongRangeStart { get; set; }

    /// <summary>Serve the file with one byte changed.</summary>
    public bool Corrupt { get; set; }

    public bool TakeDrop() => Interlocked.Decrement(ref _drops) >= 0;
}

/// <summary>Serves a byte array with Range support (bytes=N-), HEAD, and the faults asked for.</summary>
public static class ServedBytes
{
    public static void Serve(HttpListenerContext context, byte[] content, Faults? faults = null)
    {
        faults ??= new Faults();
        var response = context.Response;
        byte[] body = content;
        if (faults.Corrupt)
        {
            body = (byte[])content.Clone();
            body[body.Length / 2] ^= 0x5A;
        }
        long from = 0;
        string? range = context.Request.Headers["Range"];
        if (range is not null && !faults.IgnoreRange)
        {
            if (!range.StartsWith("bytes=", StringComparison.Ordinal) || !range.EndsWith('-') || !long.TryParse(range[6..^1], out from))
                throw new InvalidOperationException($"the client sent Range: {range}; only bytes=N- is expected");
            if (from >= body.Length)
            {
                response.StatusCode = 416;
                response.AddHeader("Content-Range", $"bytes */{body.Length}");
                return;
            }
            if (faults.WrongRangeStart) from = 0;
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {from}-{body.Length - 1}/{body.Length}");
        }
        response.ContentLength64 = body.Length - from;
        if (context.Request.HttpMethod == "HEAD") return;
        if (faults.TakeDrop())
        {
            int half = (int)(body.Length - from) / 2;
            response.OutputStream.Write(body, (int)from, half);
            response.OutputStream.Flush();
            response.Abort();
            return;
        }
        response.OutputStream.Write(body, (int)from, (int)(body.Length - from));
    }
}
