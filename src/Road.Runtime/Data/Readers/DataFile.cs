using System.IO.Compression;

namespace Road.Data.Readers;

/// <summary>Opens dataset files, decompressing gzip transparently (by its magic bytes, whatever the file is named).</summary>
public static class DataFile
{
    public static Stream Open(string path)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: file not found.");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        int first = file.ReadByte(), second = file.ReadByte();
        file.Position = 0;
        return first == 0x1f && second == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    public static StreamReader OpenText(string path) => new(Open(path), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);

    /// <summary>Non-empty lines with their 1-based line numbers, streamed.</summary>
    public static IEnumerable<(int Line, string Text)> Lines(string path)
    {
        using var reader = OpenText(path);
        int number = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length > 0) yield return (number, line);
        }
    }
}
