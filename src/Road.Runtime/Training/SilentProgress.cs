namespace Road.Training;

/// <summary>Training progress nobody watches: the ranks of a data-parallel run other than rank 0, and tests that
/// assert on results rather than on the console.</summary>
public sealed class SilentProgress : ITrainingProgress
{
    public void Report(TrainingTick tick)
    {
    }

    public void Note(string line)
    {
    }
}
