using Road.Training;

namespace Road.Tests;

/// <summary>Keeps the notes a run shows the user before training (checkpoint keys ignored, data read).</summary>
internal sealed class RecordedNotes : ITrainingProgress
{
    public List<string> Lines { get; } = [];

    public void Report(TrainingTick tick) { }

    public void Note(string line) => Lines.Add(line);
}
