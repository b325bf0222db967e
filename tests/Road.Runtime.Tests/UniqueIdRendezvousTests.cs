using Road.Distributed;

namespace Road.Tests;

/// <summary>The bootstrap of NCCL's ranks: rank 0's unique id reaches every rank over TCP, or one error says who
/// did not meet.</summary>
public sealed class UniqueIdRendezvousTests
{
    [Fact]
    public async Task Every_rank_receives_rank_0s_bytes_whichever_starts_first()
    {
        int port = UniqueIdRendezvous.FreePort();
        byte[] id = new byte[128];
        new Random(7).NextBytes(id);
        // The other ranks start before rank 0 listens: they retry until it does.
        var others = Enumerable.Range(1, 3).Select(rank => Task.Run(() => UniqueIdRendezvous.Exchange(rank, 4, "127.0.0.1", port, null, TimeSpan.FromSeconds(30)))).ToList();
        await Task.Delay(300);
        var root = Task.Run(() => UniqueIdRendezvous.Exchange(0, 4, "127.0.0.1", port, id, TimeSpan.FromSeconds(30)));
        foreach (var received in await Task.WhenAll(others.Append(root))) Assert.Equal(id, received);
    }

    [Fact]
    public void A_rank_that_cannot_reach_rank_0_fails_naming_the_address_and_variables()
    {
        int port = UniqueIdRendezvous.FreePort();
        var e = Assert.Throws<RoadException>(() => UniqueIdRendezvous.Exchange(2, 4, "127.0.0.1", port, null, TimeSpan.FromSeconds(1)));
        Assert.StartsWith($"rank 2 could not reach rank 0 at 127.0.0.1:{port} (MASTER_ADDR:MASTER_PORT) within 1 s: ", e.Message);
    }

    [Fact]
    public void Rank_0_fails_when_ranks_do_not_connect_in_time()
    {
        int port = UniqueIdRendezvous.FreePort();
        var e = Assert.Throws<RoadException>(() => UniqueIdRendezvous.Exchange(0, 3, "127.0.0.1", port, new byte[128], TimeSpan.FromSeconds(1)));
        Assert.Equal($"rank 0 waited 1 s on port {port} and 2 of 2 ranks did not connect; check that every rank has MASTER_ADDR and MASTER_PORT of rank 0's host.", e.Message);
    }
}
