using Road.Distributed;

namespace Road.Tests;

/// <summary>How a process learns its rank from its launcher, and how a global batch is shared out.</summary>
public sealed class RankEnvironmentTests
{
    [Fact]
    public void A_process_no_launcher_started_is_rank_0_of_1()
    {
        Assert.Equal(RankEnvironment.Single, RankEnvironment.From(new Dictionary<string, string>()));
    }

    [Fact]
    public void Each_launcher_is_read_from_its_own_variables_and_mpirun_wins_over_a_torchrun_style_rank()
    {
        var slurm = new Dictionary<string, string> { ["SLURM_PROCID"] = "5", ["SLURM_NTASKS"] = "8", ["SLURM_LOCALID"] = "1", ["SLURM_NTASKS_PER_NODE"] = "4" };
        Assert.Equal(new RankEnvironment(5, 8, 1, 4, "Slurm"), RankEnvironment.From(slurm));
        var torchrun = new Dictionary<string, string>(slurm) { ["RANK"] = "3", ["WORLD_SIZE"] = "4", ["LOCAL_RANK"] = "3" };
        Assert.Equal(new RankEnvironment(3, 4, 3, 4, "torchrun"), RankEnvironment.From(torchrun));
        var mpirun = new Dictionary<string, string>(torchrun) { ["OMPI_COMM_WORLD_RANK"] = "1", ["OMPI_COMM_WORLD_SIZE"] = "2", ["OMPI_COMM_WORLD_LOCAL_RANK"] = "1", ["OMPI_COMM_WORLD_LOCAL_SIZE"] = "2" };
        Assert.Equal(new RankEnvironment(1, 2, 1, 2, "Open MPI"), RankEnvironment.From(mpirun));
    }

    [Theory]
    [InlineData("x", "4", "torchrun started this process with RANK=x; expected a non-negative integer.")]
    [InlineData("4", "4", "torchrun started this process as rank 4 of 4 (RANK, WORLD_SIZE); a rank must be below the number of ranks.")]
    [InlineData("0", "0", "torchrun started this process as rank 0 of 0 (RANK, WORLD_SIZE); a rank must be below the number of ranks.")]
    public void A_rank_that_makes_no_sense_is_one_error_naming_the_variable(string rank, string size, string message)
    {
        var e = Assert.Throws<RoadException>(() => RankEnvironment.From(new Dictionary<string, string> { ["RANK"] = rank, ["WORLD_SIZE"] = size }));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Ranks_take_contiguous_shares_of_a_batch_that_differ_by_at_most_one_and_cover_it_once()
    {
        int[] batch = Enumerable.Range(100, 10).ToArray();
        var shares = Enumerable.Range(0, 4).Select(rank => new Ranks(rank, 4).Share(batch).ToArray()).ToList();
        Assert.Equal([[100, 101, 102], [103, 104, 105], [106, 107], [108, 109]], shares);
        Assert.Equal([[0], [], []], Enumerable.Range(0, 3).Select(rank => new Ranks(rank, 3).Share(new[] { 0 }).ToArray()));
    }

    [Fact]
    public void Collectives_of_one_process_leave_values_as_they_are()
    {
        Assert.Equal([1.5, -2], SingleProcess.Instance.Sum(1.5, -2));
        Assert.Equal("run folder", SingleProcess.Instance.BroadcastText("run folder"));
    }

    // A rank of a group whose collectives are never called: what Share needs.
    private sealed class Ranks(int rank, int size) : IProcessGroup
    {
        public int Rank => rank;
        public int Size => size;
        public string Backend => "none";
        public TorchSharp.torch.Device Device => TorchSharp.torch.CPU;
        public void AllReduceSum(TorchSharp.torch.Tensor tensor) => throw new InvalidOperationException();
        public void Broadcast(TorchSharp.torch.Tensor tensor, int root = 0) => throw new InvalidOperationException();
        public void Abort() => throw new InvalidOperationException();
        public void Dispose() { }
    }
}
