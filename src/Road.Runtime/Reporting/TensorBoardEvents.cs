using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;

namespace Road.Reporting;

/// <summary>
/// One TensorBoard event file (<c>events.out.tfevents.*</c>) of scalars. The format is TFRecord: each record is its
/// length (uint64, little-endian), the masked CRC32C of those 8 bytes, an <c>Event</c> protobuf and its masked CRC32C;
/// the first event names the file version (<c>brain.Event:2</c>), the others carry a <c>Summary</c> of tagged
/// <c>simple_value</c> floats at a step. The two messages' few fields are written by their numbers in TensorBoard's
/// event.proto and summary.proto with Google.Protobuf's <see cref="CodedOutputStream"/> (no generated classes ship for
/// them); CRC32C is the BCL's <see cref="BitOperations.Crc32C(uint, ulong)"/>. Each event is flushed as written, so
/// TensorBoard shows a run as it trains and a killed run keeps every step it reported.
/// </summary>
public sealed class TensorBoardEvents : IDisposable
{
    public const string FileVersion = "brain.Event:2";
    private readonly FileStream _file;

    public TensorBoardEvents(string folder)
    {
        Directory.CreateDirectory(folder);
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // A stage resumed within the same second of the same process gets the next number, as TensorBoard's own
        // writers number their files.
        for (int number = 0; ; number++)
        {
            Path = System.IO.Path.Combine(folder, $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}.{number}");
            if (File.Exists(Path)) continue;
            _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            break;
        }
        Write(Event(0, output => output.WriteString(FileVersion), 3));
    }

    public string Path { get; private set; } = "";

    /// <summary>Scalars at a step, one event.</summary>
    public void Scalars(long step, IEnumerable<(string Tag, double Value)> values)
    {
        var summary = Message(output =>
        {
            foreach (var (tag, value) in values)
            {
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(Message(v =>
                {
                    v.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    v.WriteString(tag);
                    v.WriteTag(2, WireFormat.WireType.Fixed32);
                    v.WriteFloat((float)value);
                }));
            }
        });
        Write(Event(step, output => output.WriteBytes(summary), 5));
    }

    // Event { double wall_time = 1; int64 step = 2; string file_version = 3 | Summary summary = 5 }
    private static ByteString Event(long step, Action<CodedOutputStream> what, int field) => Message(output =>
    {
        output.WriteTag(1, WireFormat.WireType.Fixed64);
        output.WriteDouble(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt64(step);
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        what(output);
    });

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var memory = new MemoryStream();
        using (var output = new CodedOutputStream(memory, leaveOpen: true)) write(output);
        return ByteString.CopyFrom(memory.ToArray());
    }

    private void Write(ByteString data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data.Span));
        _file.Write(header);
        _file.Write(data.Span);
        _file.Write(footer);
        _file.Flush();
    }

    /// <summary>TFRecord's checksum: CRC32C (Castagnoli), rotated right by 15 bits plus 0xa282ead8.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }

    /// <summary>CRC32C of the bytes (the standard one: initial value and final XOR all ones).</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }

    public void Dispose() => _file.Dispose();
}
