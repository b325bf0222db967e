using Road.Examples.Generated;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// Every run folder gets its plots (each training stage's loss and learning rate, the paper-layout rows' dev metrics)
/// as PNGs that report.md embeds; several runs get their rows' means with the spread beside the summary.
/// </summary>
public sealed class RunPlotsTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-plots-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void A_run_plots_every_training_stage_and_its_rows_and_the_report_embeds_them()
    {
        var entry = ShortRuns.Shortened("tiny-table4", trainExamples: 64, epochs: 1, multiTaskSteps: 6);
        var outcome = ExperimentRunner.Run(entry, new RunOptions(Output: _output), new SilentProgress());

        string report = File.ReadAllText(outcome.Folder.File("report.md"));
        var expected = new[] { "rows.png" }.Concat(outcome.Results.Where(r => r.Training.Steps > 0).Select(r => $"training-{r.Stage}.png")).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFiles(outcome.Folder.File("plots")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("\n## Plots\n\n![Dev metrics per row](plots/rows.png)\n", report);
        Assert.Contains("![MtlKd: loss and learning rate per step](plots/training-MtlKd.png)", report);
        foreach (string plot in expected) AssertPng(outcome.Folder.File("plots", plot), 900, 420);
        Assert.DoesNotContain("## Plots", Road.Reporting.RunDocuments.ForConsole(report, outcome.Folder));
    }

    [Fact]
    public void Several_runs_plot_their_rows_means_with_the_spread_beside_the_summary()
    {
        string samples = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        int code = ExperimentHost.Main(["run", "--name", "table3-bert-large", "--smoke", samples, "--runs", "2", "--no-reuse", "--output", _output], ExperimentRegistry.All);

        Assert.Equal(0, code);
        string folder = Path.Combine(_output, "table3-bert-large-smoke");
        string summary = Assert.Single(Directory.GetFiles(folder, "runs-*.md"));
        AssertPng(Path.ChangeExtension(summary, ".png"), 900, 420);
        Assert.Contains($"![Dev metrics per row: mean ± std over 2 runs]({Path.GetFileName(Path.ChangeExtension(summary, ".png"))})", File.ReadAllText(summary));
    }

    // A PNG of the given size: the signature, then the IHDR chunk's width and height (big-endian).
    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
