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
public sealed class DataParallelTests
{
    private const string Experiment = RunStageTests.Experiment;

    // Two ranks: each takes one of a multi-task step's two passes. Three: more ranks than passes, so ranks 0 and 2
    // share the first pass's examples; finetuning batches of 8 split 3, 3, 2.
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Ranks_train_every_stage_as_one_process_does_on_the_same_global_batches(int ranks)
    {
        string output = Directory.CreateTempSubdirectory("road-ranks-").FullName;
        try
        {
            var (one, _) = RunStageTests.SmokeRun(output, "one");
            var (two, stdout) = RunStageTests.SmokeRun(output, "ranks", "--nproc", ranks.ToString(CultureInfo.InvariantCulture));

            Assert.Contains($"Trained on {ranks} ranks (Open MPI).", stdout);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(stdout, "Run folder: "));
            var stages = Directory.GetFiles(Path.Combine(one, "stages"), "losses.tsv", SearchOption.AllDirectories)
                .Select(f => Path.GetFileName(Path.GetDirectoryName(f))!).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(23, stages.Count); // 9 teachers, 2 multi-task stages, 12 finetuning stages
            foreach (string stage in stages)
            {
                var expected = Losses(Path.Combine(one, "stages", stage, "losses.tsv"));
                var actual = Losses(Path.Combine(two, "stages", stage, "losses.tsv"));
                Assert.Equal(expected.Count, actual.Count);
                for (int step = 0; step < expected.Count; step++)
                    Assert.True(Math.Abs(expected[step] - actual[step]) <= 1e-5, $"{stage} step {step + 1}: one process {expected[step]}, {ranks} ranks {actual[step]}");
            }
            var metricsOne = Metrics(one);
            var metricsTwo = Metrics(two);
            Assert.Equal(metricsOne.Keys, metricsTwo.Keys);
            foreach (var (key, value) in metricsOne) Assert.True(Math.Abs(value - metricsTwo[key]) <= 1e-3, $"{key}: one process {value}, {ranks} ranks {metricsTwo[key]}");
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
