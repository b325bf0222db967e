using System.Text.Json;

namespace Road.Data.Readers;

/// <summary>
/// Streams the elements of one top-level array property of a large JSON document (SQuAD's <c>data</c>), parsing one
/// element at a time, so memory grows with the largest element and not with the file. System.Text.Json parses whole
/// documents or top-level arrays only; this walks a Utf8JsonReader over a refilled buffer and re-reads an element from
/// its start when the buffer ends inside it.
/// </summary>
public sealed class JsonArrayStreamer : IDisposable
{
    private readonly Stream _stream;
    private readonly string _file;
    private readonly string _property;
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private bool _final, _inArray, _done;
    private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    private int _linesBefore;

    /// <summary>Each element of the array with its location; an element is valid until the next one is read.</summary>
    public static IEnumerable<(JsonElement Element, JsonAt At)> Elements(string file, string property)
    {
        using var streamer = new JsonArrayStreamer(file, property);
        int index = 0;
        for (var document = streamer.Next(); document is not null; document = streamer.Next(), index++)
        {
            using (document) yield return (document.RootElement, new JsonAt(file, streamer.Line, $"$.{property}[{index}]"));
        }
    }

    public JsonArrayStreamer(string file, string property)
    {
        _file = file;
        _property = property;
        _stream = DataFile.Open(file);
    }

    /// <summary>The 1-based line at which the last returned element starts.</summary>
    public int Line { get; private set; }

    /// <summary>The next element, or null after the array's end.</summary>
    public JsonDocument? Next()
    {
        while (!_done)
        {
            try
            {
                if (!_inArray)
                {
                    SeekArray();
                    continue;
                }
                if (TryElement(out var element) && element is not null) return element;
            }
            catch (JsonException e)
            {
                string ending = _final ? "; the file may be truncated" : "";
                throw new RoadException($"{_file}:{_linesBefore + (e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" LineNumber")[0]}){ending}.");
            }
        }
        return null;
    }

    // Returns true when it made progress; false means "refilled, try again".
    private bool SeekArray()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndObject))
                throw new RoadException($"{_file}: $ should be an object with a \"{_property}\" array; is this the right format?");
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(_property))
            {
                if (!reader.Read()) break;
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new RoadException($"{_file}: $.{_property} should be an array; is this the right format?");
                Consume((int)reader.BytesConsumed, reader.CurrentState);
                _inArray = true;
                return true;
            }
            if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndObject)
                throw new RoadException($"{_file}: no \"{_property}\" array at the top level; is this the right format?");
        }
        Refill();
        return false;
    }

    private bool TryElement(out JsonDocument? element)
    {
        element = null;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read())
        {
            if (_final) throw new RoadException($"{_file}: the file ends inside $.{_property}; it is truncated.");
            Refill();
            return false;
        }
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            _done = true;
            return true;
        }
        long tokenStart = reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
        {
            if (_final) throw new RoadException($"{_file}: the file ends inside $.{_property}; it is truncated.");
            Refill();
            return false;
        }
        int length = (int)(reader.BytesConsumed - tokenStart);
        Line = _linesBefore + CountLines(_start, (int)tokenStart) + 1;
        element = JsonDocument.Parse(_buffer.AsMemory(_start + (int)tokenStart, length));
        Consume((int)reader.BytesConsumed, reader.CurrentState);
        return true;
    }

    private void Consume(int bytes, JsonReaderState state)
    {
        _linesBefore += CountLines(_start, bytes);
        _start += bytes;
        _state = state;
    }

    private int CountLines(int from, int count) => _buffer.AsSpan(from, count).Count((byte)'\n');

    private void Refill()
    {
        if (_final) throw new RoadException($"{_file}: the file ends before $.{_property} is complete; it is truncated.");
        int kept = _end - _start;
        if (_start > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, kept);
        (_start, _end) = (0, kept);
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _final = true;
        _end += read;
        if (!_bomChecked && (_end >= Bom.Length || _final))
        {
            // Utf8JsonReader does not skip a UTF-8 byte-order mark; files saved by Windows tools often start with one.
            if (_buffer.AsSpan(0, _end).StartsWith(Bom)) _start += Bom.Length;
            _bomChecked = true;
        }
    }

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private bool _bomChecked;

    public void Dispose() => _stream.Dispose();
}
