using PuppeteerSharp;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// report.html in a real headless Chromium (Debian's package; TestBrowser installs it where it can) on a phone-sized
/// screen: self-contained, the paper-layout table first, every table and plot rendered, nothing wider than the
/// screen but the tables' own scroll boxes. The screenshot is kept beside the test assembly to be looked at.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ReportPageTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-page-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task The_report_page_shows_its_tables_and_plots_on_a_phone()
    {
        var entry = ShortRuns.Shortened("tiny-table4", trainExamples: 64, epochs: 1, multiTaskSteps: 6);
        var outcome = ExperimentRunner.Run(entry, new RunOptions(Output: _output), new SilentProgress());
        string page = outcome.Folder.File("report.html");
        string html = File.ReadAllText(page);
        Assert.DoesNotContain("src=\"plots/", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions { ExecutablePath = Chromium(), Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        await using var tab = await browser.NewPageAsync();
        await tab.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true });
        await tab.GoToAsync(new Uri(page).AbsoluteUri, WaitUntilNavigation.Load);

        Assert.Equal("tiny-table4", await tab.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"));
        // The paper-layout table comes first: its rows are the experiment's.
        Assert.Equal(["baseline", "mtl", "mtl+kd"], await tab.EvaluateExpressionAsync<string[]>(
            "[...document.querySelector('table').querySelectorAll('tbody tr')].map(r => r.cells[0].textContent)"));
        Assert.Equal(4, await tab.EvaluateExpressionAsync<int>("document.querySelectorAll('table').length")); // rows, teachers, students with teachers, losses
        int plots = Directory.GetFiles(outcome.Folder.File("plots")).Length;
        // Every plot decoded at its full size and drawn no wider than the screen.
        Assert.Equal(Enumerable.Repeat(900, plots), await tab.EvaluateExpressionAsync<int[]>("[...document.images].map(i => i.complete ? i.naturalWidth : -1)"));
        Assert.All(await tab.EvaluateExpressionAsync<int[]>("[...document.images].map(i => Math.round(i.getBoundingClientRect().width))"), width => Assert.InRange(width, 300, 390));
        Assert.True(await tab.EvaluateExpressionAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the phone's screen");
        await tab.ScreenshotAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, "report-phone.png"),
            new ScreenshotOptions { FullPage = true });
    }

    // ROAD_CHROMIUM, else Chromium or Chrome on PATH.
    private static string Chromium()
    {
        if (Environment.GetEnvironmentVariable("ROAD_CHROMIUM") is { Length: > 0 } configured) return configured;
        var found = new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException("no Chromium: install it (Debian: apt-get install chromium) or set ROAD_CHROMIUM; ./build.sh TestBrowser installs it as root.");
    }
}
