using System.Net;
using System.Net.Sockets;

namespace Road.Tests.Fetching;

/// <summary>A request as the server saw it, for assertions on what the client sent where.</summary>
public sealed record SeenRequest(string Method, string PathAndQuery, string? Range, string? Authorization);

/// <summary>An HTTP server on 127.0.0.1 and a free port, answering with <paramref name="handle"/> on a background loop.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Action<HttpListenerContext> _handle;
    private readonly Task _loop;
    private readonly List<SeenRequest> _seen = [];

    public LoopbackServer(Action<HttpListenerContext> handle)
    {
        _handle = handle;
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            Address = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(Address.ToString());
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        _loop = Task.Run(Serve);
    }

    public Uri Address { get; }

    public IReadOnlyList<SeenRequest> Seen
    {
        get
        {
            lock (_seen) return _seen.ToList();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var request = context.Request;
            lock (_seen) _seen.Add(new SeenRequest(request.HttpMethod, request.Url!.PathAndQuery, request.Headers["Range"], request.Headers["Authorization"]));
            _ = Task.Run(() =>
            {
                try
                {
                    _handle(context);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // The handler aborted the response on purpose (a dropped connection), or the client went away.
                }
            });
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
