using Road.Build.Engine;

namespace Road.Build;

/// <summary>What the cluster and browser tests need on the machine, installed from Debian's packages and started where
/// the build may (root with apt-get, as in CI), else named with the command that provides it.</summary>
public static class ClusterTools
{
    /// <summary>Open MPI's mpirun and libmpi, which start and join the CPU ranks.</summary>
    public static void EnsureOpenMpi()
    {
        if (OnPath("mpirun") is not null) return;
        AptInstall("openmpi-bin", "Open MPI", "the cluster tests",
            "the cluster tests start ranks with Open MPI's mpirun, which is not on PATH; install it (Debian: sudo apt-get install openmpi-bin) and run TestCluster again.");
    }

    /// <summary>A single-node Slurm on this machine (build/cluster/start-slurm.sh), unless one answers already.</summary>
    public static void EnsureSlurm(string root)
    {
        if (OnPath("sinfo") is not null && Answers("sinfo")) return;
        if (Environment.UserName != "root")
            throw new BuildException("the cluster tests submit jobs to Slurm, which does not answer here; start a single-node Slurm as root with build/cluster/start-slurm.sh (it installs slurm-wlm and munge from Debian's packages) and run TestCluster again.");
        Console.WriteLine("Starting a single-node Slurm (slurmctld, slurmd, munge) for the cluster tests");
        ProcessRunner.Run("bash", [Path.Combine(root, "build", "cluster", "start-slurm.sh")], root);
    }

    /// <summary>A Chromium for the report page's browser test: ROAD_CHROMIUM, one on PATH, or Debian's package.</summary>
    public static void EnsureChromium()
    {
        if (Environment.GetEnvironmentVariable("ROAD_CHROMIUM") is { Length: > 0 } || new[] { "chromium", "chromium-browser", "google-chrome" }.Any(b => OnPath(b) is not null)) return;
        AptInstall("chromium", "Chromium", "the report page's test",
            "the report page's test loads it in a headless Chromium, which is not on PATH; install it (Debian: sudo apt-get install chromium) or set ROAD_CHROMIUM to a Chrome or Chromium binary, and run TestBrowser again.");
    }

    // Installs a Debian package where the build may (root with apt-get), else fails with what to do by hand.
    private static void AptInstall(string package, string name, string forWhat, string otherwise)
    {
        if (Environment.UserName != "root" || OnPath("apt-get") is null) throw new BuildException(otherwise);
        Console.WriteLine($"Installing {name} ({package}) from Debian's packages for {forWhat}");
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        ProcessRunner.Run("apt-get", ["update", "-qq"], Directory.GetCurrentDirectory(), environment);
        ProcessRunner.Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", package], Directory.GetCurrentDirectory(), environment);
    }

    private static bool Answers(string tool)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    public static string? OnPath(string tool) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
}
