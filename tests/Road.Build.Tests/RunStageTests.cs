namespace Road.Build.Tests;

/// <summary>
/// A stage run on its own from a run folder (<c>./build.sh RunStage</c>, what a cluster job runs) gives the bytes the
/// whole run gave, and the last stage to finish writes the run's metrics and report; <c>RunStatus</c> says where
/// each stage stands.
/// </summary>
[Collection(SmokeRunCollection.Name)]
public sealed class RunStageTests(SmokeRunFixture smoke)
{
    internal const string Experiment = "table4-electra-large";

    [Fact]
    public void A_stage_run_alone_from_the_run_folder_equals_the_whole_run_and_finishes_it()
    {
        string output = Directory.CreateTempSubdirectory("road-stage-").FullName;
        try
        {
            string whole = smoke.Folder;
            string copy = Path.Combine(output, "copy");
            CopyFolder(whole, copy);
            Directory.Delete(Path.Combine(copy, "stages", "MtlKd"), recursive: true);
            foreach (string document in new[] { "metrics.json", "report.md" }) File.Delete(Path.Combine(copy, document));

            var environment = SmokeEnvironment(output);
            var (code, status, error) = BuildCommandTests.Build(environment, "RunStatus", "--run", copy);
            Assert.True(code == 0, status + error);
            Assert.Matches(@"\n  MtlKd\s+not started\s*\n", status);
            Assert.Matches(@"\n  Teacher-Quac-0\s+finished\s+exact 0, f1 12\.627\s*\n", status);

            (code, var stdout, error) = BuildCommandTests.Build(environment, "RunStage", "--run", copy, "--stage", "MtlKd");
            Assert.True(code == 0, stdout + error);
            Assert.Contains("The run's last stage: its metrics and report are written.", stdout);
            foreach (string file in new[] { "stages/MtlKd/result.json", "stages/MtlKd/losses.tsv", "stages/MtlKd/encoder/model.safetensors", "metrics.json" })
                Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(copy, file))), file);
            Assert.Contains("\"status\": \"completed\"", File.ReadAllText(Path.Combine(copy, "manifest.json")));

            (code, stdout, error) = BuildCommandTests.Build(environment, "RunStage", "--run", copy, "--stage", "MtlKd");
            Assert.True(code == 1 && error.Contains($"error: stage MtlKd of {copy} has finished (stages/MtlKd/result.json); delete that stage folder to run it again.", StringComparison.Ordinal), stdout + error);
            Directory.Delete(Path.Combine(copy, "stages", "Mtl"), recursive: true);
            Directory.Delete(Path.Combine(copy, "stages", "MtlSquad2"), recursive: true);
            (code, stdout, error) = BuildCommandTests.Build(environment, "RunStage", "--run", copy, "--stage", "MtlSquad2");
            Assert.True(code == 1 && error.Contains($"error: stage MtlSquad2 reads stage Mtl, which has not finished in {copy} (no stages/Mtl/result.json); run Mtl first.", StringComparison.Ordinal), stdout + error);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Data and model roots with nothing in them, so a smoke run reads the shipped samples only.</summary>
    internal static Dictionary<string, string> SmokeEnvironment(string output) =>
        new() { ["ROAD_DATA"] = Path.Combine(output, "no-data"), ["ROAD_MODELS"] = Path.Combine(output, "no-models") };

    /// <summary>The smoke run of <see cref="Experiment"/> through the build, without downloads; returns its run
    /// folder and what it printed.</summary>
    internal static (string Folder, string Stdout) SmokeRun(string output, string name, params string[] extra)
    {
        string folder = Path.Combine(output, name);
        var (code, stdout, error) = BuildCommandTests.Build(SmokeEnvironment(output), ["RunExperiment", "--name", Experiment, "--smoke", "--no-reuse", "--output", folder, .. extra]);
        Assert.True(code == 0, stdout + error);
        return (Assert.Single(Directory.GetDirectories(Path.Combine(folder, Experiment + "-smoke"))), stdout);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>One single-process smoke run of <see cref="RunStageTests.Experiment"/> through the build, shared by the
/// tests that read its stages or compare other runs with it; none of them writes into its folder.</summary>
public sealed class SmokeRunFixture : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-smoke-run-").FullName;

    public SmokeRunFixture() => Folder = RunStageTests.SmokeRun(_output, "shared").Folder;

    public string Folder { get; }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class SmokeRunCollection : ICollectionFixture<SmokeRunFixture>
{
    public const string Name = "table4 smoke run";
}
