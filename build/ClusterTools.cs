using Road.Build.Engine;

namespace Road.Build;

/// <summary>What the cluster tests need on the machine, installed from Debian's packages where the build may (root
/// with apt-get, as in CI), else named with the command that installs it.</summary>
public static class ClusterTools
{
    /// <summary>Open MPI's mpirun and libmpi, which start and join the CPU ranks.</summary>
    public static void EnsureOpenMpi()
    {
        if (OnPath("mpirun") is not null) return;
        if (Environment.UserName != "root" || OnPath("apt-get") is null)
            throw new BuildException("the cluster tests start ranks with Open MPI's mpirun, which is not on PATH; install it (Debian: sudo apt-get install openmpi-bin) and run TestCluster again.");
        Console.WriteLine("Installing Open MPI (openmpi-bin) from Debian's packages for the cluster tests");
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        ProcessRunner.Run("apt-get", ["update", "-qq"], Directory.GetCurrentDirectory(), environment);
        ProcessRunner.Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "openmpi-bin"], Directory.GetCurrentDirectory(), environment);
    }

    public static string? OnPath(string tool) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
}
