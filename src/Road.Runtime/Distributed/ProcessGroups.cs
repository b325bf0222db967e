namespace Road.Distributed;

/// <summary>
/// Opens the run's process group from how it was launched: one process; ranks on CUDA joined by NCCL (one GPU each;
/// a launcher's single rank too, so that one GPU exercises the NCCL path); ranks on the CPU joined by Open MPI.
/// </summary>
public static class ProcessGroups
{
    public static IProcessGroup Open(RankEnvironment environment, string device)
    {
        if (environment.Launcher == "none") return SingleProcess.Instance;
        if (device.StartsWith("cuda", StringComparison.Ordinal))
        {
            // A single Slurm task on a GPU with no rendezvous address is an ordinary one-process run.
            if (environment.Size == 1 && Environment.GetEnvironmentVariable(UniqueIdRendezvous.PortVariable) is null) return SingleProcess.Instance;
            return NcclProcessGroup.Join(environment);
        }
        if (environment.Size == 1) return SingleProcess.Instance;
        if (environment.Launcher != "Open MPI")
            throw new RoadException($"{environment.Launcher} started {environment.Size} ranks on the CPU, which Open MPI joins: start them with mpirun (./build.sh RunExperiment --nproc N --device cpu).");
        return MpiProcessGroup.Join(environment);
    }
}
