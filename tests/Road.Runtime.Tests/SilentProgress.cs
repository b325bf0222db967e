using Road.Training;

namespace Road.Tests;

/// <summary>Training progress nobody watches: tests assert on results, not on the console.</summary>
internal sealed class SilentProgress : ITrainingProgress
{
    public void Report(TrainingTick tick) { }

    public void Note(string line) { }
}
