using Road.Build.Engine;

namespace Road.Build.Tests;

/// <summary>The target engine on a small build class of its own: ordering, skipping, parameters, errors, summary.</summary>
public sealed class BuildEngineTests
{
    private sealed class Sample
    {
        public static readonly List<string> Ran = [];

        [Parameter("a name")] private readonly string? Name = null;
        [Parameter("a count")] private readonly int Count = 1;
        [Parameter("a switch")] private readonly bool Verbose = false;

        private Target Clean => _ => _.Description("clean").Executes(() => Ran.Add("Clean"));
        private Target Compile => _ => _.DependsOn(Clean).Executes(() => Ran.Add($"Compile {Count} {Verbose}"));
        private Target Pack => _ => _.DependsOn(Compile).Requires(() => Name).Executes(() => Ran.Add($"Pack {Name}"));
        private Target Broken => _ => _.DependsOn(Clean).Executes(() => throw new BuildException("it broke"));
        private Target After => _ => _.DependsOn(Broken).Executes(() => Ran.Add("After"));
    }

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        Sample.Ran.Clear();
        var output = new StringWriter();
        var error = new StringWriter();
        int code = BuildEngine.Run<Sample>(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Dependencies_run_first_and_parameters_arrive_typed()
    {
        var (code, _, _) = Run("Pack", "--name", "road", "--count", "3", "--verbose");
        Assert.Equal(0, code);
        Assert.Equal(["Clean", "Compile 3 True", "Pack road"], Sample.Ran);
    }

    [Fact]
    public void Skip_with_names_skips_those_and_without_names_skips_every_dependency()
    {
        Run("Pack", "--name", "x", "--skip", "Clean");
        Assert.Equal(["Compile 1 False", "Pack x"], Sample.Ran);
        var (_, _, log) = Run("Pack", "--name", "x", "--skip");
        Assert.Equal(["Pack x"], Sample.Ran);
        Assert.Matches(@"Clean\s+Skipped", log);
    }

    [Fact]
    public void Plan_prints_the_order_without_running()
    {
        var (code, output, _) = Run("Pack", "--plan");
        Assert.Equal(0, code);
        Assert.Empty(Sample.Ran);
        Assert.Contains("1. Clean\n", output.Replace("\r\n", "\n"));
        Assert.Contains("3. Pack\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Help_lists_targets_with_dependencies_and_parameters_with_types()
    {
        var (code, output, _) = Run();
        Assert.Equal(0, code);
        Assert.Matches(@"Compile\s+-> Clean", output);
        Assert.Contains("--count <int>", output);
        Assert.Contains("--name <string>", output);
        Assert.Contains("ROAD_BUILD_", output);
    }

    [Theory]
    [InlineData("Nope", "unknown target \"Nope\"")]
    [InlineData("--nope", "unknown parameter \"--nope\"")]
    [InlineData("Compile --count many", "--count expects a value of type int, got \"many\"")]
    [InlineData("Pack", "target Pack requires --name")]
    public void Bad_usage_exits_2_with_one_message(string args, string message)
    {
        var (code, _, error) = Run(args.Split(' '));
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Empty(Sample.Ran);
    }

    [Fact]
    public void A_failing_target_stops_the_run_and_the_summary_says_so()
    {
        var (code, output, log) = Run("After");
        Assert.Equal(1, code);
        Assert.Contains("error: it broke", log);
        Assert.Equal(["Clean"], Sample.Ran);
        Assert.Matches(@"Broken\s+Failed", log);
        Assert.Matches(@"After\s+NotRun", log);
        Assert.Matches(@"Clean\s+Succeeded", log);
        Assert.Empty(output);
    }

    [Fact]
    public void Environment_variable_is_the_fallback_and_the_command_line_wins()
    {
        Environment.SetEnvironmentVariable("ROAD_BUILD_COUNT", "7");
        try
        {
            Run("Compile");
            Assert.Equal(["Clean", "Compile 7 False"], Sample.Ran);
            Run("Compile", "--count", "2");
            Assert.Equal(["Clean", "Compile 2 False"], Sample.Ran);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ROAD_BUILD_COUNT", null);
        }
    }
}
