using System.Diagnostics;

namespace Road.Build.Tests;

/// <summary>
/// Road's own build program, run as a process the way build.sh runs it (build.sh builds it before any target runs;
/// the solution build leaves it alone because it may be the process running the tests).
/// </summary>
public sealed class BuildCommandTests
{
    internal static (int Code, string Out, string Error) Build(params string[] args) => Build(new Dictionary<string, string>(), args);

    internal static (int Code, string Out, string Error) Build(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string root = Root();
        string program = Path.Combine(root, "build", "bin", "Release", "net10.0", "_build.dll");
        Assert.True(File.Exists(program), $"{program} is missing: run ./build.sh once (it builds the build project).");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    internal static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Road.sln"))) return folder.FullName;
        throw new InvalidOperationException("Road.sln not found above the test folder.");
    }

    [Fact]
    public void No_target_lists_the_contract_targets_with_dependencies_and_the_parameters()
    {
        var (code, output, _) = Build();
        Assert.Equal(0, code);
        foreach (var target in new[] { "Restore", "Compile", "Test", "ListExperiments", "RunExperiment" }) Assert.Contains(target, output);
        Assert.Matches(@"Test\s+.*-> Compile", output);
        foreach (var option in new[] { "--name <string>", "--device <string>", "--seed <int>", "--output <string>", "--filter <string>" }) Assert.Contains(option, output);
    }

    [Fact]
    public void ListExperiments_names_the_tiny_experiment()
    {
        var (code, output, log) = Build("ListExperiments");
        Assert.Equal(0, code);
        Assert.Matches(@"road-tiny\s+2 stages", output);
        Assert.Matches(@"ListExperiments\s+Succeeded", log);
    }

    [Fact]
    public void RunExperiment_smoke_runs_a_paper_experiment_on_the_shipped_samples_without_downloads()
    {
        string output = Directory.CreateTempSubdirectory("road-smoke-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["ROAD_DATA"] = Path.Combine(output, "no-data"), ["ROAD_MODELS"] = Path.Combine(output, "no-models") };
            var (code, stdout, error) = Build(environment, "RunExperiment", "--name", "table3-albert-xlarge", "--smoke", "--output", output);

            Assert.True(code == 0, stdout + error);
            Assert.Contains("| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", stdout);
            Assert.Matches(@"\| \+ both \| \d+\.\d\d \| \d+\.\d\d \|", stdout);
            Assert.Single(Directory.GetDirectories(Path.Combine(output, "table3-albert-xlarge-smoke")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_experiment_fails_and_lists_the_known_ones()
    {
        var (code, _, error) = Build("RunExperiment", "--name", "nope");
        Assert.Equal(1, code);
        Assert.Contains("error: unknown experiment \"nope\"; known experiments: minilm-squad, road-distil-base, road-distil-half, road-electra-base, road-electra-large, road-hetero, road-tiny, table2-albert-xlarge, table2-bert-large, table2-electra-large, table3-albert-xlarge, table3-bert-large, table3-electra-large, table4-electra-large, table5-electra-large, tiny-distil, tiny-hetero, tiny-table4, tiny-table5.", error);
        Assert.Matches(@"RunExperiment\s+Failed", error);
    }

    [Fact]
    public void Cuda_without_a_cuda_libtorch_fails_with_one_message()
    {
        string empty = Directory.CreateTempSubdirectory("road-no-libtorch-").FullName;
        var start = Environment.GetEnvironmentVariable("ROAD_LIBTORCH");
        Environment.SetEnvironmentVariable("ROAD_LIBTORCH", empty);
        try
        {
            var (code, _, error) = Build("RunExperiment", "--device", "cuda", "--output", Path.Combine(empty, "runs"));
            Assert.Equal(1, code);
            Assert.Contains($"error: ROAD_LIBTORCH={empty} has no libtorch_cuda.so", error);
            Assert.DoesNotContain("   at ", error);
            Assert.False(Directory.Exists(Path.Combine(empty, "runs")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ROAD_LIBTORCH", start);
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void A_new_experiment_project_runs_its_example_and_its_analyzers_report_mistakes()
    {
        string folder = Path.Combine(Path.GetTempPath(), "road-own-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output, _) = Build("NewExperimentProject", "--output", folder, "--name", "Lab");
            Assert.Equal(0, code);
            Assert.Contains("--project " + folder + " --name lab-example", output);
            Assert.Equal([".gitignore", "Experiments.cs", "Lab.csproj", "Program.cs"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            (code, output, _) = Build("ListExperiments", "--project", folder);
            Assert.Equal(0, code);
            Assert.Matches(@"lab-example\s+1 stages", output);
            (code, output, _) = Build("RunExperiment", "--project", folder, "--name", "lab-example", "--output", Path.Combine(folder, "runs"));
            Assert.Equal(0, code);
            Assert.Contains("| Finetune | Facts | exact |", output);
            Assert.Single(Directory.GetDirectories(Path.Combine(folder, "runs", "lab-example")));

            // The analyzers run in the user's project: a mistake is a compile error at its place.
            string experiments = Path.Combine(folder, "Experiments.cs");
            File.WriteAllText(experiments, File.ReadAllText(experiments).Replace("LearningRate = 1e-3", "LearningRate = 2.0"));
            (code, _, string error) = Build("RunExperiment", "--project", folder, "--name", "lab-example");
            Assert.Equal(1, code);
            Assert.Matches(@"Experiments\.cs\(\d+,\d+\): error ROAD003: LearningRate = 2 is out of range: it must be in \(0, 1\)", error);
            Assert.Contains($"error: {Path.Combine(folder, "Lab.csproj")} did not compile (its errors are above).", error);

            (code, _, error) = Build("NewExperimentProject", "--output", folder);
            Assert.Equal(1, code);
            Assert.Contains($"error: --output {folder}: the folder is not empty; give a new folder.", error);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
