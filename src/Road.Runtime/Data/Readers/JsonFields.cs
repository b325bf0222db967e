using System.Text.Json;

namespace Road.Data.Readers;

/// <summary>Typed access to JSON fields whose failures name the file, the line and the JSON path, and what was expected.</summary>
public readonly record struct JsonAt(string File, int Line, string Path)
{
    public JsonAt Child(string property) => this with { Path = $"{Path}.{property}" };

    public JsonAt Item(int index) => this with { Path = $"{Path}[{index}]" };

    public override string ToString() => $"{File}:{Line}: {Path}";

    public RoadException Expected(string what, JsonElement? found = null) =>
        new($"{this}: expected {what}{(found is { } f ? $", found {Shorten(f.GetRawText())}" : "")}.");

    public string String(JsonElement parent, string property)
    {
        if (!parent.TryGetProperty(property, out var value)) throw Child(property).Expected("a string (missing)");
        return value.ValueKind == JsonValueKind.String ? Text(value, property) : throw Child(property).Expected("a string", value);
    }

    public string? OptionalString(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? Text(value, property) : throw Child(property).Expected("a string", value)
            : null;

    // System.Text.Json checks a string's UTF-8 only when it is read.
    private string Text(JsonElement value, string property)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new RoadException($"{Child(property)}: the text is not valid UTF-8; the file is damaged or in another encoding (save it as UTF-8).");
        }
    }

    public int Int(JsonElement parent, string property)
    {
        if (!parent.TryGetProperty(property, out var value)) throw Child(property).Expected("an integer (missing)");
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : throw Child(property).Expected("an integer", value);
    }

    public double Number(JsonElement parent, string property)
    {
        if (!parent.TryGetProperty(property, out var value)) throw Child(property).Expected("a number (missing)");
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Child(property).Expected("a number", value);
    }

    public IEnumerable<(JsonElement Element, JsonAt At)> Array(JsonElement parent, string property, bool optional = false)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (optional) yield break;
            throw Child(property).Expected("an array (missing)");
        }
        if (value.ValueKind != JsonValueKind.Array) throw Child(property).Expected("an array", value);
        int i = 0;
        foreach (var item in value.EnumerateArray()) yield return (item, Child(property).Item(i++));
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
