namespace Road.Distributed;

/// <summary>Opens the run's process group from how it was launched: one process, or ranks that Open MPI joins on
/// the CPU.</summary>
public static class ProcessGroups
{
    public static IProcessGroup Open(RankEnvironment environment, string device)
    {
        if (environment.Size == 1) return SingleProcess.Instance;
        if (device.StartsWith("cuda", StringComparison.Ordinal))
            throw new RoadException($"{environment.Launcher} started {environment.Size} ranks on {device}: data parallelism on CUDA (NCCL) is not in this build yet; run one process per GPU, or the ranks on the CPU with --device cpu.");
        if (environment.Launcher != "Open MPI")
            throw new RoadException($"{environment.Launcher} started {environment.Size} ranks on the CPU, which Open MPI joins: start them with mpirun (./build.sh RunExperiment --nproc N --device cpu).");
        return MpiProcessGroup.Join(environment);
    }
}
