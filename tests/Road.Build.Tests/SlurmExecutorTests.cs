using System.Text.Json.Nodes;

namespace Road.Build.Tests;

/// <summary>
/// The stage graph on a real single-node Slurm (slurmctld, slurmd and munge from Debian's packages, started by
/// build/cluster/start-slurm.sh, which TestCluster runs): each stage a job in dependency order, the teachers of a
/// dataset an array job, the same metrics as the local executor, and one stage resubmitted alone.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(SmokeRunCollection.Name)]
public sealed class SlurmExecutorTests(SmokeRunFixture smoke)
{
    [Fact]
    public async Task The_stage_graph_runs_as_Slurm_jobs_with_the_local_runs_metrics_and_a_stage_resubmits_alone()
    {
        string output = Directory.CreateTempSubdirectory("road-slurm-").FullName;
        try
        {
            string local = smoke.Folder;
            var (run, submitted) = RunStageTests.SmokeRun(output, "slurm", "--executor", "slurm", "--time", "30:00,teacher=20:00,mtl=45:00");
            Assert.Contains($"Submitted 23 stages of {RunStageTests.Experiment}-smoke to Slurm", submitted);
            Assert.False(File.Exists(Path.Combine(run, "metrics.json")));
            var jobs = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "slurm.json")))!["Stages"]!.AsObject();
            Assert.Equal(23, jobs.Count);
            Assert.Matches(@"^\d+_0$", jobs["Teacher-Quac-0"]!.GetValue<string>()); // the dataset's teachers: an array job
            Assert.Matches(@"^\d+$", jobs["MtlKd"]!.GetValue<string>());
            // Each kind of stage asks for its own time limit; every job for the signal before it.
            Assert.Contains("TimeLimit=00:20:00", await Job(jobs["Teacher-Quac-0"]!.GetValue<string>()));
            Assert.Contains("TimeLimit=00:45:00", await Job(jobs["MtlKd"]!.GetValue<string>()));
            Assert.Contains("TimeLimit=00:30:00", await Job(jobs["MtlSquad2"]!.GetValue<string>()));

            // A job that started before the stages it reads had finished would fail (RunStage refuses), and the run
            // would never write its metrics: finishing with the local run's metrics shows the dependencies held.
            await Completed(run);
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, "metrics.json")), File.ReadAllBytes(Path.Combine(run, "metrics.json")));
            var (code, status, error) = BuildCommandTests.Build(RunStageTests.SmokeEnvironment(output), "RunStatus", "--run", run);
            Assert.True(code == 0, status + error);
            Assert.Matches(@"\n  Teacher-Quac-0\s+finished\s+\d+_0\s+exact 0, f1 12\.627\s*\n", status);

            // A stage that failed: its folder gone, the run unfinished; submitted again alone, it finishes the run.
            Directory.Delete(Path.Combine(run, "stages", "KdQqp"), recursive: true);
            File.Delete(Path.Combine(run, "metrics.json"));
            (code, var stdout, error) = BuildCommandTests.Build(RunStageTests.SmokeEnvironment(output), "RunStage", "--run", run, "--stage", "KdQqp", "--executor", "slurm");
            Assert.True(code == 0, stdout + error);
            Assert.Contains("Submitted KdQqp alone: job ", stdout);
            await Completed(run);
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, "metrics.json")), File.ReadAllBytes(Path.Combine(run, "metrics.json")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    // Waits (at most five minutes) for the run's last stage to write its metrics and for every job to leave the
    // queue: the stage that writes metrics.json goes on to write the report and plots, and stages finishing together
    // may both write them, so the folder is still being written when metrics.json appears. The test's Slurm runs
    // only this run's jobs.
    private static async Task Completed(string run)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!File.Exists(Path.Combine(run, "metrics.json")) || (await Squeue()).Length > 0)
        {
            Assert.True(DateTime.UtcNow < limit, $"the run's jobs did not finish within five minutes; queue: {string.Join("\n", await Squeue())}");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    // A job as scontrol shows it (Slurm keeps ended jobs for minutes).
    private static async Task<string> Job(string id)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("scontrol", ["show", "job", "-o", id]) { RedirectStandardOutput = true })!;
        string text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }

    private static async Task<string[]> Squeue()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("squeue", ["--noheader"]) { RedirectStandardOutput = true })!;
        string text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
