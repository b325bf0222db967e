using System.Buffers.Binary;
using System.Text.Json;

namespace Road.Encoders;

/// <summary>
/// Checks a safetensors file's header against the file before any tensor is read: the header must fit in the file,
/// be JSON, name known dtypes, and give each tensor a byte range inside the data section whose length matches its
/// shape. TorchSharp.PyBridge trusts the header, so a truncated or corrupt file would otherwise crash or allocate
/// whatever the header claims. Written by hand because no served package validates safetensors.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>A header larger than this is not a model's (a base model's header is a few tens of kilobytes).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>The tensor names in the file, after checking every entry.</summary>
    public static IReadOnlyList<string> Validate(string path)
    {
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        if (length < 8) throw Bad(path, $"the file is {length} bytes, shorter than the 8-byte header length; it is truncated");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(length - 8))
            throw Bad(path, $"the header claims {headerLength} bytes but the file holds {length - 8} after the length field; the file is truncated or not safetensors");
        if ((long)headerLength > MaxHeaderBytes)
            throw Bad(path, $"the header claims {headerLength} bytes, more than any model header ({MaxHeaderBytes}); the file is corrupt");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = length - 8 - (long)headerLength;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"the header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "the header is not a JSON object");
            var names = new List<string>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                CheckEntry(path, entry, dataLength);
                names.Add(entry.Name);
            }
            return names;
        }
    }

    private static void CheckEntry(string path, JsonProperty entry, long dataLength)
    {
        string at = $"$[\"{entry.Name}\"]";
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Bad(path, $"{at} should be {{\"dtype\": ..., \"shape\": [...], \"data_offsets\": [begin, end]}}");
        if (!DtypeBytes.TryGetValue(dtype.GetString()!, out int size))
            throw Bad(path, $"{at}.dtype \"{dtype.GetString()}\" is not a safetensors dtype Road reads ({string.Join(", ", DtypeBytes.Keys)})");
        long elements = 1;
        foreach (var d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long n) || n < 0)
                throw Bad(path, $"{at}.shape holds {d.GetRawText()}, not a dimension");
            elements = checked(elements * n);
        }
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin || end > dataLength)
            throw Bad(path, $"{at}.data_offsets {offsets.GetRawText()} lie outside the {dataLength}-byte data section; the file is truncated or corrupt");
        if (end - begin != elements * size)
            throw Bad(path, $"{at} spans {end - begin} bytes but {dtype.GetString()} {shape.GetRawText()} needs {elements * size}");
    }

    private static RoadException Bad(string path, string what) => new($"{path}: {what}.");
}
