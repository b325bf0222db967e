using System.Net;
using System.Net.Sockets;

namespace Road.Distributed;

/// <summary>
/// How the ranks of a NCCL group learn rank 0's unique id, as torchrun's ranks do: rank 0 listens on
/// <c>MASTER_ADDR:MASTER_PORT</c> and hands the id's bytes to each rank that connects; the others connect (retrying
/// while rank 0 starts) and read them. Only this bootstrap goes over TCP; the collectives are NCCL's.
/// </summary>
public static class UniqueIdRendezvous
{
    public const string AddressVariable = "MASTER_ADDR";
    public const string PortVariable = "MASTER_PORT";

    /// <summary>Rank 0's <paramref name="payload"/> on every rank (the others pass null); fails naming the address
    /// when the ranks do not all meet within <paramref name="timeout"/>.</summary>
    public static byte[] Exchange(int rank, int size, string address, int port, byte[]? payload, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        if (rank == 0)
        {
            byte[] bytes = payload ?? throw new ArgumentNullException(nameof(payload), "rank 0 hands out the payload");
            var listener = new TcpListener(IPAddress.Any, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                throw new RoadException($"rank 0 cannot listen on port {port} ({PortVariable}) for the other ranks: {e.Message}; choose a free port.");
            }
            try
            {
                for (int served = 1; served < size; served++)
                {
                    var accept = listener.AcceptTcpClientAsync();
                    if (!accept.Wait(Remaining(deadline)))
                        throw new RoadException($"rank 0 waited {timeout.TotalSeconds:0} s on port {port} and {size - served} of {size - 1} ranks did not connect; check that every rank has {AddressVariable} and {PortVariable} of rank 0's host.");
                    using var client = accept.Result;
                    using var stream = client.GetStream();
                    stream.Write(BitConverter.GetBytes(bytes.Length));
                    stream.Write(bytes);
                }
            }
            finally
            {
                listener.Stop();
            }
            return bytes;
        }
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                if (!client.ConnectAsync(address, port).Wait(Remaining(deadline))) throw new SocketException((int)SocketError.TimedOut);
                using var stream = client.GetStream();
                stream.ReadTimeout = (int)Math.Max(1, Remaining(deadline).TotalMilliseconds);
                var length = new byte[4];
                stream.ReadExactly(length);
                var bytes = new byte[BitConverter.ToInt32(length)];
                stream.ReadExactly(bytes);
                return bytes;
            }
            catch (Exception e) when (e is SocketException or AggregateException or IOException)
            {
                if (DateTime.UtcNow >= deadline)
                    throw new RoadException($"rank {rank} could not reach rank 0 at {address}:{port} ({AddressVariable}:{PortVariable}) within {timeout.TotalSeconds:0} s: {(e.InnerException ?? e).Message}.");
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>A TCP port free on this machine now: where a launcher's rank 0 will listen.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static TimeSpan Remaining(DateTime deadline) => deadline - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero;
}
