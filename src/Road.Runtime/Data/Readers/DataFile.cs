using System.IO.Compression;
using System.Text;

namespace Road.Data.Readers;

/// <summary>Opens dataset files, decompressing gzip transparently (by its magic bytes, whatever the file is named);
/// a damaged gzip stream or text that is not UTF-8 is an error naming the file.</summary>
public static class DataFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Stream Open(string path)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: file not found.");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        int first = file.ReadByte(), second = file.ReadByte();
        file.Position = 0;
        return first == 0x1f && second == 0x8b ? new GzipFile(new GZipStream(file, CompressionMode.Decompress), path) : file;
    }

    public static StreamReader OpenText(string path) => new(Open(path), StrictUtf8, detectEncodingFromByteOrderMarks: true, 1 << 16);

    /// <summary>Non-empty lines with their 1-based line numbers, streamed.</summary>
    public static IEnumerable<(int Line, string Text)> Lines(string path)
    {
        using var reader = OpenText(path);
        int number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                throw new RoadException($"{path}:{number + 1}: the text is not valid UTF-8; the file is damaged or in another encoding (save it as UTF-8).");
            }
            if (line is null) yield break;
            number++;
            if (line.Length > 0) yield return (number, line);
        }
    }

    // Reads a gzip stream, turning its damage into one error that names the file.
    private sealed class GzipFile(GZipStream inner, string path) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (InvalidDataException e)
            {
                throw new RoadException($"{path}: not a valid gzip file ({e.Message}); download it again.");
            }
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
