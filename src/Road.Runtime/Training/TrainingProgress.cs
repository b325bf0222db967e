namespace Road.Training;

/// <summary>One report from the training loop: where it is and how it is doing (a NaN loss: work that is not
/// training, such as predicting a dataset, counted in items).</summary>
public readonly record struct TrainingTick(string Stage, int Step, int TotalSteps, double Loss, double ExamplesPerSecond, StepRecord? Record = null);

/// <summary>Receives training ticks and notes about the run (a live console bar, a log, or nothing).</summary>
public interface ITrainingProgress
{
    void Report(TrainingTick tick);

    /// <summary>A fact the user should see before training goes on: ignored checkpoint keys, counts of data read.</summary>
    void Note(string line);

    /// <summary>A stage has finished, after <paramref name="step"/> training steps, with these dev metrics (none for
    /// a stage that is not evaluated).</summary>
    void Evaluated(string stage, int step, IReadOnlyDictionary<string, double> metrics) { }
}
