using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InitLab.Persistence;

/// <summary>
/// Typed reads from an untrusted model.json: every value is checked for kind and range, and a wrong one becomes a
/// <see cref="ModelFormatException"/> naming the file, the JSON path and what was expected — never an
/// InvalidCastException, OverflowException or NullReferenceException.
/// </summary>
internal sealed class StrictJson(string file)
{
    public string File { get; } = file;

    public ModelFormatException Error(string path, string problem) => new($"{File}: model.json '{path}' {problem}");

    public JsonObject Object(JsonNode? parent, string key, string path) =>
        Child(parent, key, path) as JsonObject ?? throw Error(Join(path, key), "must be an object.");

    public JsonObject? OptionalObject(JsonNode? parent, string key, string path)
    {
        JsonNode? node = parent?[key];
        return node is null ? null : node as JsonObject ?? throw Error(Join(path, key), "must be an object or absent.");
    }

    public JsonArray Array(JsonNode? parent, string key, string path, int maxCount) =>
        Array(Child(parent, key, path), Join(path, key), maxCount);

    public JsonArray Array(JsonNode? node, string path, int maxCount)
    {
        var array = node as JsonArray ?? throw Error(path, "must be an array.");
        if (array.Count > maxCount)
        {
            throw Error(path, string.Create(CultureInfo.InvariantCulture, $"has {array.Count} entries; at most {maxCount} are allowed."));
        }
        return array;
    }

    public string String(JsonNode? parent, string key, string path) => String(Child(parent, key, path), Join(path, key));

    public string String(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Error(path, $"must be a string, got {Show(node)}.");

    public bool Bool(JsonNode? parent, string key, string path)
    {
        JsonNode? node = Child(parent, key, path);
        return node?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(Join(path, key), $"must be true or false, got {Show(node)}."),
        };
    }

    public long Integer(JsonNode? parent, string key, string path, long min, long max) => Integer(Child(parent, key, path), Join(path, key), min, max);

    public long Integer(JsonNode? node, string path, long min, long max)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long number) && number >= min && number <= max)
        {
            return number;
        }
        throw Error(path, string.Create(CultureInfo.InvariantCulture, $"must be a whole number in {min}..{max}, got {Show(node)}."));
    }

    /// <summary>A finite number; JSON null reads as NaN when <paramref name="nullIsNaN"/>.</summary>
    public double Number(JsonNode? node, string path, bool nullIsNaN = false)
    {
        if (node is null && nullIsNaN)
        {
            return double.NaN;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double number) && double.IsFinite(number))
        {
            return number;
        }
        throw Error(path, $"must be a finite number, got {Show(node)}.");
    }

    public double[] Numbers(JsonNode? parent, string key, string path, int count)
    {
        JsonArray array = Array(parent, key, path, count);
        if (array.Count != count)
        {
            throw Error(Join(path, key), string.Create(CultureInfo.InvariantCulture, $"has {array.Count} values; expected {count}."));
        }
        return [.. array.Select((n, i) => Number(n, string.Create(CultureInfo.InvariantCulture, $"{Join(path, key)}[{i}]")))];
    }

    public string[] Strings(JsonNode? parent, string key, string path, int maxCount)
    {
        JsonArray array = Array(parent, key, path, maxCount);
        return [.. array.Select((n, i) => String(n, string.Create(CultureInfo.InvariantCulture, $"{Join(path, key)}[{i}]")))];
    }

    private JsonNode Child(JsonNode? parent, string key, string path) =>
        (parent as JsonObject)?[key] ?? throw Error(Join(path, key), "is missing.");

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Show(JsonNode? node)
    {
        string text = node is null ? "nothing" : node.ToJsonString();
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
