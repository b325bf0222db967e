using System.Globalization;
using Spectre.Console;

namespace Road.Hub;

/// <summary>Where fetches report what they do: one bar per file, and notes.</summary>
public interface IDownloadProgress
{
    /// <summary>A transfer of <paramref name="name"/> begins with <paramref name="already"/> bytes on disk (a resume).</summary>
    IFileTransfer Start(string name, long? totalBytes, long already);

    void Note(string line);
}

/// <summary>One file's transfer; disposed when it ends, whether or not it completed.</summary>
public interface IFileTransfer : IDisposable
{
    void Advance(long bytes);
}

/// <summary>
/// A live bar per file (size, speed, time left) on a terminal; a line at the start, at every quarter and at the end
/// when the output is redirected, so logs stay short.
/// </summary>
public sealed class ConsoleDownloadProgress : IDownloadProgress
{
    private readonly bool _live = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public IFileTransfer Start(string name, long? totalBytes, long already) =>
        _live && totalBytes is { } total ? new LiveTransfer(name, total, already) : new LoggedTransfer(name, totalBytes, already);

    public void Note(string line) => Console.WriteLine(line);

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Format(CultureInfo.InvariantCulture, "{0:0.00} GB", bytes / 1e9),
        >= 1L << 20 => string.Format(CultureInfo.InvariantCulture, "{0:0.0} MB", bytes / 1e6),
        >= 1L << 10 => string.Format(CultureInfo.InvariantCulture, "{0:0.0} kB", bytes / 1e3),
        _ => $"{bytes} B",
    };

    private sealed class LoggedTransfer : IFileTransfer
    {
        private readonly string _name;
        private readonly long? _total;
        private readonly long _already;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private long _done;
        private int _quarter;

        public LoggedTransfer(string name, long? total, long already)
        {
            (_name, _total, _already, _done) = (name, total, already, already);
            _quarter = total is > 0 ? (int)(already * 4 / total.Value) : 0;
            string resume = already > 0 ? $", resuming at {Size(already)}" : "";
            Console.WriteLine($"  {name}: downloading {(total is { } t ? Size(t) : "(size unknown)")}{resume}");
        }

        public void Advance(long bytes)
        {
            _done += bytes;
            if (_total is not > 0) return;
            int quarter = (int)(_done * 4 / _total.Value);
            if (quarter <= _quarter || quarter >= 4) return;
            _quarter = quarter;
            Console.WriteLine($"  {_name}: {quarter * 25}% ({Size(_done)}, {Speed()})");
        }

        public void Dispose() => Console.WriteLine($"  {_name}: {Size(_done)} on disk ({Speed()})");

        private string Speed() => Size((long)((_done - _already) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3))) + "/s";
    }

    // Spectre's Progress runs a callback; a background task keeps it open while the download feeds it.
    private sealed class LiveTransfer : IFileTransfer
    {
        private readonly TaskCompletionSource _done = new();
        private readonly ManualResetEventSlim _ready = new();
        private readonly Task _running;
        private ProgressTask? _task;

        public LiveTransfer(string name, long total, long already)
        {
            _running = Task.Run(() => AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    _task = context.AddTask(Markup.Escape(name), maxValue: total);
                    _task.Value = already;
                    _ready.Set();
                    await _done.Task;
                    context.Refresh();
                }));
            _ready.Wait();
        }

        public void Advance(long bytes) => _task!.Increment(bytes);

        public void Dispose()
        {
            _done.TrySetResult();
            _running.Wait();
        }
    }
}
