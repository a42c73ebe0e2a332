using System.Text.Json.Nodes;
using InitLab.Initializers;

namespace InitLab.Persistence;

/// <summary>Initializer ⇄ JSON <c>{"name": "he_normal", "config": {…}}</c>; numbers stay numbers, text stays text.</summary>
public static class InitializerJson
{
    /// <summary>Describes an initializer.</summary>
    /// <param name="initializer">The initializer.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject ToJson(IInitializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        var config = new JsonObject();
        foreach (var pair in initializer.GetConfig().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            config[pair.Key] = pair.Value switch
            {
                double d => JsonValue.Create(d),
                int i => JsonValue.Create(i),
                _ => JsonValue.Create(pair.Value.ToString()),
            };
        }
        return new JsonObject { ["name"] = initializer.Name, ["config"] = config };
    }

    /// <summary>Rebuilds an initializer through the registry.</summary>
    /// <param name="node">A node written by <see cref="ToJson"/>.</param>
    /// <returns>The initializer.</returns>
    public static IInitializer FromJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        string name = node["name"] is JsonValue text && text.TryGetValue(out string? named) ? named : throw new FormatException("initializer JSON has no name (a string).");
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (node["config"] is JsonObject config)
        {
            foreach (var pair in config)
            {
                JsonValue value = pair.Value as JsonValue
                    ?? throw new FormatException($"initializer '{name}': config '{pair.Key}' must be a number or text, got {pair.Value?.ToJsonString() ?? "null"}.");
                values[pair.Key] = value.TryGetValue(out double number) ? number : (object)value.ToString();
            }
        }
        return InitializerRegistry.FromConfig(name, values);
    }
}
