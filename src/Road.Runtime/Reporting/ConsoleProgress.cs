using System.Globalization;
using Road.Training;
using Spectre.Console;

namespace Road.Reporting;

/// <summary>
/// Shows training as it happens: a live bar with loss and examples/s on a terminal, or a line every tenth of a stage
/// when the output is redirected (CI logs).
/// </summary>
public sealed class ConsoleProgress : ITrainingProgress, IDisposable
{
    private readonly bool _live = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private string? _stage;
    private int _lastTenth = -1;
    private ProgressContextHost? _host;

    public void Report(TrainingTick tick)
    {
        // A tick without a loss counts work that is not training (predictions).
        string status = double.IsNaN(tick.Loss)
            ? string.Format(CultureInfo.InvariantCulture, "{0}  {1:0} /s", tick.Stage, tick.ExamplesPerSecond)
            : string.Format(CultureInfo.InvariantCulture, "{0}  loss {1:0.0000}  {2:0} ex/s", tick.Stage, tick.Loss, tick.ExamplesPerSecond);
        if (_live)
        {
            if (_stage != tick.Stage)
            {
                _host?.Dispose();
                _host = new ProgressContextHost(tick.Stage, tick.TotalSteps);
                _stage = tick.Stage;
            }
            _host!.Update(tick.Step, status);
            return;
        }
        if (_stage != tick.Stage) (_stage, _lastTenth) = (tick.Stage, -1);
        int tenth = tick.Step * 10 / tick.TotalSteps;
        if (tenth == _lastTenth) return;
        _lastTenth = tenth;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  [{0,3}%] {1}{2}/{3}  {4}", tick.Step * 100 / tick.TotalSteps, double.IsNaN(tick.Loss) ? "" : "step ", tick.Step, tick.TotalSteps, status));
    }

    public void Note(string line) => Console.WriteLine(line);

    public void Dispose() => _host?.Dispose();

    // Spectre's Progress runs a callback; a background task keeps it open while the training loop feeds it.
    private sealed class ProgressContextHost : IDisposable
    {
        private readonly TaskCompletionSource _done = new();
        private readonly Task _running;
        private ProgressTask? _task;
        private readonly ManualResetEventSlim _ready = new();

        public ProgressContextHost(string stage, int totalSteps)
        {
            _running = Task.Run(() => AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    _task = context.AddTask(stage, maxValue: totalSteps);
                    _ready.Set();
                    await _done.Task;
                    _task.Value = _task.MaxValue;
                    context.Refresh();
                }));
            _ready.Wait();
        }

        public void Update(int step, string status)
        {
            _task!.Value = step;
            _task.Description = Markup.Escape(status);
        }

        public void Dispose()
        {
            _done.TrySetResult();
            _running.Wait();
        }
    }
}
