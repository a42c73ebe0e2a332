using System.Globalization;
using System.Text.Json;

namespace InitLab.Sweeps.Definition;

/// <summary>Reads back the definition a store keeps with its sweep (<see cref="SweepDefinition.ToJson"/>'s
/// <c>{"axes":[{"name":…,"values":[…]}],"fixed":{…},"seeds":[…]}</c>), so a tool that has only the store (<c>sweep merge</c>,
/// <c>sweep slurm</c>, a worker joining a shard) knows the sweep's trials and their order.</summary>
public static class StoredDefinition
{
    /// <summary>Parses a stored definition.</summary>
    /// <param name="json">The sweep's <see cref="SweepInfo.DefinitionJson"/>.</param>
    /// <returns>The definition; <c>Parse(d.ToJson()).ToJson() == d.ToJson()</c>.</returns>
    /// <exception cref="ArgumentException">Not a stored definition (the message says what is missing).</exception>
    public static SweepDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            var settings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            foreach (JsonElement axis in Property(root, "axes", JsonValueKind.Array).EnumerateArray())
            {
                string name = Property(axis, "name", JsonValueKind.String).GetString()!;
                settings.Add(KeyValuePair.Create(name, (IReadOnlyList<string>)[.. Property(axis, "values", JsonValueKind.Array).EnumerateArray().Select(Text)]));
            }
            foreach (JsonProperty setting in Property(root, "fixed", JsonValueKind.Object).EnumerateObject())
            {
                settings.Add(KeyValuePair.Create(setting.Name, (IReadOnlyList<string>)[Text(setting.Value)]));
            }
            ulong[] seeds = [.. Property(root, "seeds", JsonValueKind.Array).EnumerateArray().Select(s => s.GetUInt64())];
            return SweepDefinition.Create(settings, seeds);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"the stored sweep definition is not readable ({error.Message}); was the store written by another tool?",
                nameof(json), error);
        }
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == kind
            ? value
            : throw new FormatException($"no '{name}' {kind.ToString().ToLowerInvariant()}");

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"a setting value is {value.ValueKind}")),
    };
}
