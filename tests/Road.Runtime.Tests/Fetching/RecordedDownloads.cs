using Road.Hub;

namespace Road.Tests.Fetching;

/// <summary>Download progress kept for assertions: each transfer's file and starting byte, and the notes.</summary>
internal sealed class RecordedDownloads : IDownloadProgress
{
    public List<(string Name, long Already)> Transfers { get; } = [];

    public List<string> Notes { get; } = [];

    public IFileTransfer Start(string name, long? totalBytes, long already)
    {
        lock (Transfers) Transfers.Add((name, already));
        return new Transfer();
    }

    public void Note(string line) => Notes.Add(line);

    private sealed class Transfer : IFileTransfer
    {
        public void Advance(long bytes) { }

        public void Dispose() { }
    }
}
