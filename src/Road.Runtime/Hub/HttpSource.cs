using System.Net;
using System.Net.Http.Headers;

namespace Road.Hub;

/// <summary>
/// GET and HEAD over HTTP with redirects followed by hand, so that the bearer token goes to the Hub's origin only and
/// never to the CDN host a redirect points at (HttpClient's own redirect handling gives no per-hop control).
/// </summary>
public sealed class HttpSource : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient _client;
    private readonly Uri? _tokenOrigin;
    private readonly string? _token;

    /// <param name="tokenOrigin">The only origin (scheme, host, port) the token is sent to.</param>
    public HttpSource(Uri? tokenOrigin = null, string? token = null, TimeSpan? connectTimeout = null)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(30),
        })
        {
            // Bodies are read with a timeout per read (see ReadTimeout); this bounds the wait for headers.
            Timeout = TimeSpan.FromMinutes(2),
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("road", "1.0"));
        // The Hub's metadata (X-Linked-Etag, sizes) describes the identity encoding; a gzip-encoded body would not
        // match the hash and could not be resumed by byte offset.
        _client.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        _tokenOrigin = tokenOrigin;
        _token = token;
    }

    /// <summary>How long one read of a body may stall before the transfer counts as dropped.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Sends a request, following redirects; the answer carries the Hub's headers from whichever hop sent them.</summary>
    public RemoteResponse Send(HttpMethod method, Uri url, long? rangeFrom = null)
    {
        var current = url;
        string? commit = null, etag = null;
        long? linkedSize = null;
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, current);
            if (rangeFrom is { } from) request.Headers.Range = new RangeHeaderValue(from, null);
            if (_token is not null && SameOrigin(current, _tokenOrigin)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            HttpResponseMessage response;
            try
            {
                response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                throw new TransferException($"no answer from {current.Host}:{current.Port} ({e.Message})");
            }
            commit ??= Header(response, "X-Repo-Commit");
            etag ??= Header(response, "X-Linked-Etag") ?? (IsRedirect(response.StatusCode) ? null : response.Headers.ETag?.ToString());
            linkedSize ??= long.TryParse(Header(response, "X-Linked-Size"), out long size) ? size : null;
            if (!IsRedirect(response.StatusCode) || (method == HttpMethod.Head && commit is not null))
                return new RemoteResponse(response, commit, etag, linkedSize);
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null) throw new RoadException($"{current} answered a redirect without a Location header.");
            if (hop == MaxRedirects) throw new RoadException($"{url} redirected more than {MaxRedirects} times.");
            current = location.IsAbsoluteUri ? location : new Uri(current, location);
        }
    }

    internal Stream OpenBody(HttpResponseMessage response) => response.Content.ReadAsStream();

    internal int Read(Stream body, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            return body.ReadAsync(buffer, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            throw new TransferException(e is OperationCanceledException ? $"no data for {ReadTimeout.TotalSeconds:0} s" : $"connection dropped ({e.Message})");
        }
    }

    public void Dispose() => _client.Dispose();

    private static bool SameOrigin(Uri url, Uri? origin) =>
        origin is not null && url.Scheme == origin.Scheme && string.Equals(url.Host, origin.Host, StringComparison.OrdinalIgnoreCase) && url.Port == origin.Port;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>The final answer to a request and the Hub's metadata headers seen on the way.</summary>
public sealed record RemoteResponse(HttpResponseMessage Message, string? Commit, string? LinkedEtag, long? LinkedSize) : IDisposable
{
    public HttpStatusCode Status => Message.StatusCode;

    public void Dispose() => Message.Dispose();
}

/// <summary>A transfer that failed in a way a retry can mend (connection refused or dropped, stalled, 5xx).</summary>
public sealed class TransferException(string message) : Exception(message);
