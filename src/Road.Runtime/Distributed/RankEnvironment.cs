using System.Collections;
using System.Globalization;

namespace Road.Distributed;

/// <summary>
/// Which rank of how many this process is, as its launcher said: Open MPI's <c>mpirun</c>
/// (<c>OMPI_COMM_WORLD_RANK</c>, <c>_SIZE</c>, <c>_LOCAL_RANK</c>), Slurm's <c>srun</c> (<c>SLURM_PROCID</c>,
/// <c>SLURM_NTASKS</c>, <c>SLURM_LOCALID</c>) or a torchrun-style launcher (<c>RANK</c>, <c>WORLD_SIZE</c>,
/// <c>LOCAL_RANK</c>, with <c>MASTER_ADDR</c> and <c>MASTER_PORT</c>). A process no launcher started is rank 0 of 1.
/// <see cref="LocalSize"/> is how many ranks share this node (all of them when the launcher does not say).
/// </summary>
public sealed record RankEnvironment(int Rank, int Size, int LocalRank, int LocalSize, string Launcher)
{
    public static RankEnvironment Single { get; } = new(0, 1, 0, 1, "none");

    public static RankEnvironment FromEnvironment() => From(Environment.GetEnvironmentVariables());

    public static RankEnvironment From(IDictionary variables)
    {
        string? Read(string name) => variables[name] as string;
        foreach (var (launcher, rank, size, local, localSize) in Launchers)
        {
            if (Read(rank) is null || Read(size) is null) continue;
            int Number(string name)
            {
                string? text = Read(name);
                return text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value
                    : throw new RoadException($"{launcher} started this process with {name}={text ?? "(unset)"}; expected a non-negative integer.");
            }
            int ranks = Number(size);
            var environment = new RankEnvironment(Number(rank), ranks, Read(local) is null ? 0 : Number(local), Read(localSize) is null ? ranks : Number(localSize), launcher);
            if (environment.Size < 1 || environment.Rank >= environment.Size)
                throw new RoadException($"{launcher} started this process as rank {environment.Rank} of {environment.Size} ({rank}, {size}); a rank must be below the number of ranks.");
            return environment;
        }
        return Single;
    }

    // Checked in this order: mpirun sets its own variables, srun may run under a launcher that set RANK.
    private static readonly (string Launcher, string Rank, string Size, string LocalRank, string LocalSize)[] Launchers =
    [
        ("Open MPI", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_SIZE"),
        ("torchrun", "RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"),
        ("Slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "SLURM_NTASKS_PER_NODE"),
    ];
}
