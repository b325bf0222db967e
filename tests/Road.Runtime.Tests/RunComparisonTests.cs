using Road.Reporting;

namespace Road.Tests;

/// <summary>CompareRuns: rows of runs and experiments side by side, on the tables' scales, with the spread of an
/// experiment's runs and the difference of two sides.</summary>
public sealed class RunComparisonTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("road-compare-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Run(string experiment, string id, double f1, double accuracy, string row = "baseline")
    {
        string folder = Path.Combine(_root, experiment, id);
        Directory.CreateDirectory(folder);
        var metrics = new System.Text.Json.Nodes.JsonObject
        {
            ["experiment"] = experiment,
            ["seed"] = 13,
            ["rows"] = new System.Text.Json.Nodes.JsonObject
            {
                [row] = new System.Text.Json.Nodes.JsonObject
                {
                    ["Squad2"] = new System.Text.Json.Nodes.JsonObject { ["exact"] = f1 - 4, ["f1"] = f1, ["total"] = 100 },
                    ["Mnli"] = new System.Text.Json.Nodes.JsonObject { ["accuracy"] = accuracy, ["total"] = 50 },
                },
            },
        };
        File.WriteAllText(Path.Combine(folder, "metrics.json"), metrics.ToJsonString());
        return folder;
    }

    [Fact]
    public void A_run_and_an_experiments_runs_line_up_by_row_and_metric_with_their_difference()
    {
        string single = Run("table4-electra-large", "20261127-100000-seed13", 80.0, 0.9);
        Run("table5-electra-large", "20261127-110000-seed13", 82.0, 0.91);
        Run("table5-electra-large", "20261127-120000-seed14", 84.0, 0.93);
        Directory.CreateDirectory(Path.Combine(_root, "table5-electra-large", "20261127-130000-seed15")); // unfinished: no metrics.json

        var sides = RunComparison.Read([single, Path.Combine(_root, "table5-electra-large")]);

        Assert.Equal(
            "| row · metric | table4-electra-large 20261127-100000-seed13 | table5-electra-large (2 runs) | Δ |\n" +
            "|---|---:|---:|---:|\n" +
            "| baseline · Squad2 EM | 76.00 | 79.00 ± 1.41 | +3.00 |\n" +
            "| baseline · Squad2 F1 | 80.00 | 83.00 ± 1.41 | +3.00 |\n" +
            "| baseline · Mnli Acc | 90.00 | 92.00 ± 1.41 | +2.00 |\n", RunComparison.Table(sides).Replace("\r\n", "\n"));
        string plot = Path.Combine(_root, "out", "compare.png");
        RunComparison.Plot(sides, plot);
        Assert.Equal((byte)0x89, File.ReadAllBytes(plot)[0]);
    }

    [Fact]
    public void Rows_one_side_lacks_show_a_dash_and_bad_folders_are_named()
    {
        var sides = RunComparison.Read([Run("a", "r1", 80, 0.9), Run("b", "r2", 70, 0.8, row: "+KD"), Run("c", "r3", 60, 0.7)]);
        string table = RunComparison.Table(sides);
        Assert.Contains("| baseline · Squad2 F1 | 80.00 | – | 60.00 |\n", table);
        Assert.Contains("| +KD · Squad2 F1 | – | 70.00 | – |\n", table);

        var error = Assert.Throws<RoadException>(() => RunComparison.Read([Run("a", "r1", 80, 0.9), Path.Combine(_root, "nothing")]));
        Assert.Equal($"--runs {Path.Combine(_root, "nothing")}: neither a run folder (no metrics.json) nor an experiment folder with completed runs.", error.Message);
        Assert.Equal("--runs needs two or more run or experiment folders, comma-separated.", Assert.Throws<RoadException>(() => RunComparison.Read([_root])).Message);
    }
}
