using System.Diagnostics;
using System.Globalization;
using Road.Build.Engine;

namespace Road.Build;

/// <summary>
/// <c>--gpus N</c>: starts N ranks of the experiment host on this machine, torchrun-style (<c>RANK</c>,
/// <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>, <c>LOCAL_WORLD_SIZE</c>, <c>MASTER_ADDR</c>, <c>MASTER_PORT</c>), each seeing
/// one GPU (<c>CUDA_VISIBLE_DEVICES</c>), joined by NCCL. When a rank exits with an error, the others are killed,
/// so none waits forever in a collective; the launcher's exit code is the first failure's.
/// </summary>
public static class RankLauncher
{
    public static int Run(ProcessStartInfo template, int ranks)
    {
        var gpus = (Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { Length: > 0 } visible
            ? visible.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Enumerable.Range(0, ranks).Select(i => i.ToString(CultureInfo.InvariantCulture))).ToList();
        if (gpus.Count < ranks) throw new BuildException($"--gpus {ranks}: CUDA_VISIBLE_DEVICES names {gpus.Count} GPUs.");
        int port = Road.Distributed.UniqueIdRendezvous.FreePort();
        var processes = new List<Process>();
        try
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                var start = new ProcessStartInfo(template.FileName) { WorkingDirectory = template.WorkingDirectory };
                foreach (string argument in template.ArgumentList) start.ArgumentList.Add(argument);
                string text = rank.ToString(CultureInfo.InvariantCulture), size = ranks.ToString(CultureInfo.InvariantCulture);
                (start.Environment["RANK"], start.Environment["LOCAL_RANK"], start.Environment["WORLD_SIZE"], start.Environment["LOCAL_WORLD_SIZE"]) = (text, text, size, size);
                start.Environment["MASTER_ADDR"] = "127.0.0.1";
                start.Environment["MASTER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                start.Environment["CUDA_VISIBLE_DEVICES"] = gpus[rank];
                processes.Add(Process.Start(start) ?? throw new BuildException($"could not start rank {rank}."));
            }
            var running = processes.Select(p => p.WaitForExitAsync()).ToList();
            while (running.Count > 0)
            {
                var ended = Task.WhenAny(running).Result;
                running.Remove(ended);
                var failed = processes.FirstOrDefault(p => p.HasExited && p.ExitCode != 0);
                if (failed is null) continue;
                foreach (var process in processes.Where(p => !p.HasExited)) process.Kill(entireProcessTree: true);
                return failed.ExitCode;
            }
            return 0;
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }
}
