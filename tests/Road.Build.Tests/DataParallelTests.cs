using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Road.Build.Tests;

/// <summary>
/// Data parallelism on the CPU: ranks started by Open MPI's mpirun (the TestCluster target installs it where it can;
/// <c>./build.sh Test</c> leaves these out). The smoke variant of table4-electra-large runs every stage kind (nine
/// teachers, multi-task pretraining with and without distillation, finetuning) without dropout, so any number of ranks must
/// give the single process's losses.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(SmokeRunCollection.Name)]
public sealed class DataParallelTests(SmokeRunFixture smoke)
{
    private const string Experiment = RunStageTests.Experiment;

    // Two ranks: each takes one of a multi-task step's two passes. Three ranks (more than passes, so ranks 0 and 2
    // share the first pass's examples; finetuning batches of 8 split 3, 3, 2) train every stage after the resume in
    // A_run_stopped_by_a_signal_on_two_ranks_resumes_on_three_as_one_process_trains, checked against one process too.
    [Fact]
    public void Two_ranks_train_every_stage_as_one_process_does_on_the_same_global_batches()
    {
        const int ranks = 2;
        string output = Directory.CreateTempSubdirectory("road-ranks-").FullName;
        try
        {
            var (two, stdout) = RunStageTests.SmokeRun(output, "ranks", "--nproc", ranks.ToString(CultureInfo.InvariantCulture));

            Assert.Contains($"Trained on {ranks} ranks (Open MPI).", stdout);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(stdout, "Run folder: "));
            AssertSameTraining(smoke.Folder, two, $"{ranks} ranks");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task A_rank_that_fails_alone_ends_every_rank_with_its_error_and_no_completed_run()
    {
        string output = Directory.CreateTempSubdirectory("road-ranks-").FullName;
        try
        {
            // Rank 1 is given a samples folder that does not exist, as a node without the data mounted would be;
            // rank 0 goes on until it waits for rank 1 in a collective.
            string host = ExampleHost();
            string samples = Path.Combine(BuildCommandTests.Root(), "tests", "Road.Runtime.Tests", "Fixtures");
            string[] Rank(string smoke) => ["-np", "1", "dotnet", host, "run", "--name", Experiment, "--smoke", smoke, "--no-reuse", "--output", output];
            var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in (string[])["--bind-to", "none", "--quiet", .. Rank(samples), ":", .. Rank(Path.Combine(output, "missing"))]) start.ArgumentList.Add(argument);
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
                await process.WaitForExitAsync(limit.Token); // throws when the ranks outlive the limit

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("error (rank 1): ", await stderr);
            Assert.Contains(Path.Combine(output, "missing"), await stderr);
            Assert.DoesNotContain("Run folder: ", await stdout);
            Assert.Empty(Directory.GetFiles(output, "metrics.json", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFiles(output, "report.md", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    // Slurm's signal before a time limit, as mpirun passes it on: the ranks stop together at a step, rank 0 writes
    // the stage's checkpoint, and the run resumed on another number of ranks ends as one process's run does.
    [Fact]
    public async Task A_run_stopped_by_a_signal_on_two_ranks_resumes_on_three_as_one_process_trains()
    {
        string output = Directory.CreateTempSubdirectory("road-ranks-").FullName;
        try
        {
            string folder = Path.Combine(output, "stopped");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = BuildCommandTests.Root() };
            foreach (string argument in (string[])[Path.Combine(BuildCommandTests.Root(), "build", "bin", "Release", "net10.0", "_build.dll"),
                "RunExperiment", "--name", Experiment, "--smoke", "--no-reuse", "--output", folder, "--nproc", "2"]) start.ArgumentList.Add(argument);
            foreach (var (name, value) in RunStageTests.SmokeEnvironment(output)) start.Environment[name] = value;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Once a few stages have finished (the ranks handle the signal by then), mpirun is signalled.
            while (!process.HasExited && (!Directory.Exists(folder) || Directory.GetFiles(folder, "result.json", SearchOption.AllDirectories).Length < 5))
                await Task.Delay(100);
            using (var kill = Process.Start("pkill", ["-USR1", "-f", $"^\\S*mpirun .*--output {folder} "])) await kill!.WaitForExitAsync();
            using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
                await process.WaitForExitAsync(limit.Token);

            Assert.True(process.ExitCode != 0, await stdout + await stderr);
            Assert.Contains("stopped on a signal after writing its checkpoint; continue it with --resume.", await stderr);
            var stopped = System.Text.RegularExpressions.Regex.Match(await stderr, @"stopped: stage (\S+) stopped on a signal at step (\d+) of (\d+); its checkpoint is written\.");
            Assert.True(stopped.Success, await stderr);
            string run = Assert.Single(Directory.GetDirectories(Path.Combine(folder, Experiment + "-smoke")));
            string stage = stopped.Groups[1].Value;
            Assert.True(File.Exists(Path.Combine(run, "stages", stage, "checkpoint", "state.safetensors")));
            Assert.False(File.Exists(Path.Combine(run, "stages", stage, "result.json")));
            Assert.False(File.Exists(Path.Combine(run, "metrics.json")));

            var (code, resumed, error) = BuildCommandTests.Build(RunStageTests.SmokeEnvironment(output),
                ["RunExperiment", "--name", Experiment, "--smoke", "--no-reuse", "--output", folder, "--nproc", "3", "--resume"]);
            Assert.True(code == 0, resumed + error);
            Assert.Contains("Trained on 3 ranks (Open MPI).", resumed);
            AssertSameTraining(smoke.Folder, run, "stopped on 2 ranks and resumed on 3");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    // Every step's loss of all 23 training stages within 1e-5 of one process's, every dev metric within 1e-3.
    private static void AssertSameTraining(string one, string other, string how)
    {
        var stages = Directory.GetFiles(Path.Combine(one, "stages"), "losses.tsv", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f))!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(23, stages.Count); // 9 teachers, 2 multi-task stages, 12 finetuning stages
        foreach (string stage in stages)
        {
            var expected = Losses(Path.Combine(one, "stages", stage, "losses.tsv"));
            var actual = Losses(Path.Combine(other, "stages", stage, "losses.tsv"));
            Assert.Equal(expected.Count, actual.Count);
            for (int step = 0; step < expected.Count; step++)
                Assert.True(Math.Abs(expected[step] - actual[step]) <= 1e-5, $"{stage} step {step + 1}: one process {expected[step]}, {how} {actual[step]}");
        }
        var metricsOne = Metrics(one);
        var metricsOther = Metrics(other);
        Assert.Equal(metricsOne.Keys, metricsOther.Keys);
        foreach (var (key, value) in metricsOne) Assert.True(Math.Abs(value - metricsOther[key]) <= 1e-3, $"{key}: one process {value}, {how} {metricsOther[key]}");
    }

    private static List<double> Losses(string file) =>
        File.ReadAllLines(file).Skip(1).Select(line => double.Parse(line.Split('\t')[1], CultureInfo.InvariantCulture)).ToList();

    // Every stage's dev metrics, from its result.json.
    private static SortedDictionary<string, double> Metrics(string folder)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(Path.Combine(folder, "stages"), "result.json", SearchOption.AllDirectories))
        {
            var result = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var (key, value) in result["metrics"]!.AsObject()) metrics[$"{result["stage"]}.{key}"] = value!.GetValue<double>();
        }
        return metrics;
    }

    // The examples' Release build, which RunExperiment built in the first test or an earlier run.
    private static string ExampleHost()
    {
        string host = Path.Combine(BuildCommandTests.Root(), "examples", "Road.Examples", "bin", "Release", "net10.0", "Road.Examples.dll");
        if (!File.Exists(host))
        {
            var (code, stdout, error) = BuildCommandTests.Build("ListExperiments");
            Assert.True(code == 0, stdout + error);
        }
        return host;
    }
}
