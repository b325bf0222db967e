namespace Road.Tokenization;

/// <summary>
/// Reads and patches the few fields of a SentencePiece <c>ModelProto</c> Road needs: the pieces (field 1, each a
/// message whose field 1 is the piece string) and the trainer spec's <c>bos_id</c>/<c>eos_id</c> (fields 41 and 42 of
/// field 2). Hand-written protobuf wire handling: the project serves no generated sentencepiece_model classes, and
/// only length-delimited and varint fields are touched.
/// </summary>
public static class SentencePieceModelFile
{
    private const int PiecesField = 1;
    private const int TrainerSpecField = 2;
    private const int BosIdField = 41;
    private const int EosIdField = 42;

    /// <summary>The pieces in vocabulary order (a piece's index is its id).</summary>
    public static List<string> Pieces(byte[] model)
    {
        var pieces = new List<string>();
        foreach (var field in Fields(model))
        {
            if (field.Number != PiecesField || field.WireType != 2) continue;
            var piece = Fields(field.Payload!).FirstOrDefault(f => f.Number == 1 && f.WireType == 2);
            pieces.Add(piece.Payload is null ? "" : System.Text.Encoding.UTF8.GetString(piece.Payload));
        }
        return pieces;
    }

    /// <summary>The model with the trainer spec's bos_id and eos_id replaced.</summary>
    public static byte[] WithBosEos(byte[] model, int bosId, int eosId)
    {
        using var output = new MemoryStream();
        foreach (var field in Fields(model))
        {
            if (field.Number != TrainerSpecField || field.WireType != 2)
            {
                output.Write(field.Raw);
                continue;
            }
            using var spec = new MemoryStream();
            foreach (var inner in Fields(field.Payload!))
                if (inner.Number is not (BosIdField or EosIdField)) spec.Write(inner.Raw);
            WriteVarint(spec, (ulong)(BosIdField << 3));
            WriteVarint(spec, (ulong)(long)bosId);
            WriteVarint(spec, (ulong)(EosIdField << 3));
            WriteVarint(spec, (ulong)(long)eosId);
            WriteVarint(output, (ulong)(TrainerSpecField << 3 | 2));
            WriteVarint(output, (ulong)spec.Length);
            spec.WriteTo(output);
        }
        return output.ToArray();
    }

    private readonly record struct Field(int Number, int WireType, byte[]? Payload, byte[] Raw);

    private static IEnumerable<Field> Fields(byte[] message)
    {
        int at = 0;
        while (at < message.Length)
        {
            int start = at;
            ulong tag = ReadVarint(message, ref at);
            int number = (int)(tag >> 3), wireType = (int)(tag & 7);
            byte[]? payload = null;
            switch (wireType)
            {
                case 0: ReadVarint(message, ref at); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case 2:
                    int length = checked((int)ReadVarint(message, ref at));
                    if (length < 0 || at + length > message.Length) throw new RoadException("SentencePiece model: a field runs past the end of the file; the model is truncated.");
                    payload = message[at..(at + length)];
                    at += length;
                    break;
                default: throw new RoadException($"SentencePiece model: unsupported protobuf wire type {wireType}; not a ModelProto.");
            }
            if (at > message.Length) throw new RoadException("SentencePiece model: truncated.");
            yield return new Field(number, wireType, payload, message[start..at]);
        }
    }

    private static ulong ReadVarint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw new RoadException("SentencePiece model: truncated varint.");
            byte b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new RoadException("SentencePiece model: malformed varint.");
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }
}
