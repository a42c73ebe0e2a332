using System.Globalization;
using System.Text.Json;
using InitLab.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InitLab.Sweeps.Definition;

/// <summary>Reads a sweep definition from a YAML (<c>.yaml</c>/<c>.yml</c>) or JSON (<c>.json</c>) file.</summary>
/// <remarks>
/// The format (YAML shown; JSON has the same keys):
/// <code>
/// seeds: 5                  # seeds 1..5, or a list: [1, 7, 42]
/// axes:                     # varied settings, in expansion order (last varies fastest); a single value is fixed
///   init: [he_normal, glorot_uniform]
///   activation: [relu, tanh]
///   depth: [2, 5, 10]
/// fixed:                    # settings every trial shares
///   data: digits
///   epochs: 20
/// </code>
/// Setting names are those of <see cref="SweepSettings"/>.
/// </remarks>
public static class SweepSpecFile
{
    /// <summary>The largest spec file read (a definition is a few lines; anything larger is the wrong file).</summary>
    public const long MaxBytes = 1 << 20;

    private static readonly string[] TopLevelKeys = ["axes", "fixed", "seeds"];

    /// <summary>Reads and checks a definition file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ArgumentException">Not a definition: the message names the file, the key and what is valid
    /// (<see cref="ArgumentException.ParamName"/> is <c>path</c>).</exception>
    public static SweepDefinition Load(string path)
    {
        (IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> settings, IReadOnlyList<ulong>? seeds) = ReadSettings(path);
        try
        {
            return SweepDefinition.Create(settings, seeds ?? SweepDefinition.SeedRange(1));
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"sweep definition '{path}': {Plain(error)}", nameof(path), error);
        }
    }

    /// <summary>Reads a definition file's settings and seeds without building the definition, so that flags can
    /// override some of them first.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Setting name → values in file order (axes, then fixed), and the seeds (null when the file has none).</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ArgumentException">Not a definition: the message names the file
    /// (<see cref="ArgumentException.ParamName"/> is <c>path</c>).</exception>
    public static (IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Settings, IReadOnlyList<ulong>? Seeds) ReadSettings(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"sweep definition: no file '{path}'.", path);
        }
        if (file.Length > MaxBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"sweep definition '{path}': {file.Length} bytes; a sweep definition is at most {MaxBytes} bytes. Is it the right file?"), nameof(path));
        }
        string text = File.ReadAllText(path);
        bool json = string.Equals(file.Extension, ".json", StringComparison.OrdinalIgnoreCase);
        try
        {
            return ParseSettings(text, json);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"sweep definition '{path}': {Plain(error)}", nameof(path), error);
        }
    }

    /// <summary>An inner message without .NET's " (Parameter 'x')" tail, which would name a C# parameter in the middle of the outer one.</summary>
    private static string Plain(ArgumentException error) =>
        error.ParamName is string name ? error.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : error.Message;

    /// <summary>Parses a definition from text.</summary>
    /// <param name="text">YAML or JSON text.</param>
    /// <param name="json">True to read it as JSON (System.Text.Json), false as YAML (YamlDotNet).</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException">Not a definition.</exception>
    public static SweepDefinition Parse(string text, bool json)
    {
        (IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> settings, IReadOnlyList<ulong>? seeds) = ParseSettings(text, json);
        return SweepDefinition.Create(settings, seeds ?? SweepDefinition.SeedRange(1));
    }

    private static (IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Settings, IReadOnlyList<ulong>? Seeds) ParseSettings(string text, bool json)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<(string Key, object Value)> root = json ? FromJson(text) : FromYaml(text);
        var settings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        IReadOnlyList<ulong>? seeds = null;
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, object value) in root)
        {
            if (!TopLevelKeys.Contains(key))
            {
                throw new UnknownNameException("key", key, TopLevelKeys, nameof(text));
            }
            if (!seenKeys.Add(key))
            {
                throw new ArgumentException($"the key '{key}' appears twice.", nameof(text));
            }
            switch (key)
            {
                case "seeds":
                    seeds = Seeds(value);
                    break;
                default:
                    if (value is not List<(string Key, object Value)> map)
                    {
                        throw new ArgumentException($"'{key}' must be a mapping of setting name to value{(key == "axes" ? "s" : string.Empty)}, e.g. {key}: {{ depth: {(key == "axes" ? "[2, 5]" : "5")} }}.", nameof(text));
                    }
                    foreach ((string name, object values) in map)
                    {
                        IReadOnlyList<string> list = values switch
                        {
                            string one => [one],
                            List<string> many when key == "axes" => many,
                            List<string> => throw new ArgumentException($"fixed: '{name}' has a list; move it to axes to vary it.", nameof(text)),
                            _ => throw new ArgumentException($"{key}: '{name}' must be a value{(key == "axes" ? " or a list of values" : string.Empty)}.", nameof(text)),
                        };
                        settings.Add(KeyValuePair.Create(name, list));
                    }
                    break;
            }
        }
        return (settings, seeds);
    }

    private static IReadOnlyList<ulong> Seeds(object value)
    {
        ulong Parse(string text) => ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            ? seed
            : throw new ArgumentException($"seeds: '{text}' is not a whole number >= 0.", nameof(value));
        return value switch
        {
            string count when int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 => SweepDefinition.SeedRange(n),
            string bad => throw new ArgumentException($"seeds: got '{bad}'; give a count >= 1 (seeds 1..count) or a list of seeds, e.g. [1, 7, 42].", nameof(value)),
            List<string> list => [.. list.Select(Parse)],
            _ => throw new ArgumentException("seeds: give a count >= 1 or a list of seeds.", nameof(value)),
        };
    }

    private static List<(string Key, object Value)> FromYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"not valid YAML at line {error.Start.Line}, column {error.Start.Column}: {error.Message}"), nameof(text), error);
        }
        catch (InvalidOperationException error)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed input, e.g. an unclosed [ list.
            throw new ArgumentException("not valid YAML (an unclosed [ list or { mapping?).", nameof(text), error);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ArgumentException("expected one YAML mapping with the keys axes, fixed and seeds.", nameof(text));
        }
        return Map(root);

        static List<(string, object)> Map(YamlMappingNode node) =>
            [.. node.Children.Select(child => (Scalar(child.Key), Value(child.Value)))];

        static object Value(YamlNode node) => node switch
        {
            YamlScalarNode => Scalar(node),
            YamlSequenceNode list => list.Children.Select(Scalar).ToList(),
            YamlMappingNode map => Map(map),
            _ => throw new ArgumentException($"unexpected YAML node at line {node.Start.Line}.", nameof(text)),
        };

        static string Scalar(YamlNode node) => node is YamlScalarNode { Value: string value }
            ? value
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"line {node.Start.Line}: expected a single value here."), nameof(text));
    }

    private static List<(string Key, object Value)> FromJson(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"not valid JSON: {error.Message}", nameof(text), error);
        }
        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Map(document.RootElement)
                : throw new ArgumentException("expected one JSON object with the keys axes, fixed and seeds.", nameof(text));
        }

        static List<(string, object)> Map(JsonElement node) => [.. node.EnumerateObject().Select(p => (p.Name, Value(p.Value)))];

        static object Value(JsonElement node) => node.ValueKind switch
        {
            JsonValueKind.Array => node.EnumerateArray().Select(Scalar).ToList(),
            JsonValueKind.Object => Map(node),
            _ => Scalar(node),
        };

        static string Scalar(JsonElement node) => node.ValueKind switch
        {
            JsonValueKind.String => node.GetString()!,
            JsonValueKind.Number => node.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw new ArgumentException($"expected a string or number, got {node.ValueKind}: {node.GetRawText()}.", nameof(text)),
        };
    }
}
