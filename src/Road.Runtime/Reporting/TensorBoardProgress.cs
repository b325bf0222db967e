using Road.Training;

namespace Road.Reporting;

/// <summary>
/// Writes a run's scalars for TensorBoard while passing every report on: one folder per stage under the run's
/// <c>tensorboard/</c> (point <c>tensorboard --logdir</c> at it), each training step's <c>train/loss</c>,
/// <c>train/learning_rate</c>, <c>train/grad_norm</c> (before clipping) and <c>train/examples_per_second</c>, and
/// the stage's <c>dev/&lt;metric&gt;</c> figures at its last step. A resumed stage adds a second event file, which
/// TensorBoard reads with the first.
/// </summary>
public sealed class TensorBoardProgress(ITrainingProgress inner, string folder) : ITrainingProgress
{
    public const string Folder = "tensorboard";
    private (string Stage, TensorBoardEvents Events)? _open;

    public void Report(TrainingTick tick)
    {
        inner.Report(tick);
        if (tick.Record is not { } record) return;
        Events(tick.Stage).Scalars(tick.Step, [
            ("train/loss", record.Loss), ("train/learning_rate", record.LearningRate),
            ("train/grad_norm", record.GradientNorm), ("train/examples_per_second", tick.ExamplesPerSecond)]);
    }

    public void Note(string line) => inner.Note(line);

    public void Evaluated(string stage, int step, IReadOnlyDictionary<string, double> metrics)
    {
        inner.Evaluated(stage, step, metrics);
        if (metrics.Count > 0) Events(stage).Scalars(step, metrics.Where(m => !m.Key.EndsWith("total", StringComparison.Ordinal)).Select(m => ($"dev/{m.Key}", m.Value)));
        Close();
    }

    private TensorBoardEvents Events(string stage)
    {
        if (_open is { } open && open.Stage == stage) return open.Events;
        Close();
        var events = new TensorBoardEvents(Path.Combine(folder, stage));
        _open = (stage, events);
        return events;
    }

    private void Close()
    {
        _open?.Events.Dispose();
        _open = null;
    }
}
