using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InitLab.ModelSpecs;

/// <summary>Reads a model spec — a stack of layers in JSON or YAML (docs/cli.md, "--model FILE") — into a
/// <see cref="ModelSpec"/>. A file ending in .json is JSON; .yaml, .yml and anything else are YAML (JSON is YAML too, so a
/// JSON file under another name still reads).</summary>
public static class ModelSpecFile
{
    /// <summary>The largest spec file read (a spec is a few lines; a bigger file is a mistake, not a model).</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>Reads and checks a spec file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ArgumentException">Not a valid spec: the message starts with the file's name and the path inside it
    /// (<c>net.yaml: layers[3].branch[1].units: …</c>) and says what is valid; ParamName is <c>modelFile</c>.</exception>
    public static ModelSpec Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"model spec '{path}' does not exist.", path);
        }
        string name = info.Name;
        if (info.Length > MaxBytes)
        {
            throw ModelSpec.Problem(name, string.Create(CultureInfo.InvariantCulture,
                $"the file has {info.Length} bytes; a model spec may have at most {MaxBytes} (1 MiB)."));
        }
        return Parse(File.ReadAllText(path), name, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Parses a spec's text.</summary>
    /// <param name="text">JSON or YAML.</param>
    /// <param name="fileName">The name errors show.</param>
    /// <param name="json">True for JSON, false for YAML.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">Not a valid spec (see <see cref="Read"/>).</exception>
    public static ModelSpec Parse(string text, string fileName, bool json)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        SpecNode root = json ? FromJson(text, fileName) : FromYaml(text, fileName);
        return ModelSpec.FromRoot(root, fileName);
    }

    private static SpecNode FromYaml(string text, string fileName)
    {
        if (FlowNesting(text) > 4 * MaxNesting)
        {
            // YamlDotNet nests one call per [ or {: refuse before a hostile file can exhaust the stack.
            throw ModelSpec.Problem(fileName, string.Create(CultureInfo.InvariantCulture, $"nested more than {MaxNesting} levels deep."));
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw ModelSpec.Problem(fileName, string.Create(CultureInfo.InvariantCulture,
                $"not valid YAML at line {error.Start.Line}, column {error.Start.Column}: {error.Message}"));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed input, e.g. an unclosed [ list.
            throw ModelSpec.Problem(fileName, "not valid YAML (an unclosed [ list or { mapping?).");
        }
        if (stream.Documents.Count != 1)
        {
            throw ModelSpec.Problem(fileName, "expected one YAML document with a 'layers' list.");
        }
        return Convert(stream.Documents[0].RootNode, string.Empty, 0);

        SpecNode Convert(YamlNode node, string path, int depth)
        {
            CheckDepth(fileName, path, depth);
            return node switch
            {
                YamlScalarNode scalar => SpecNode.OfScalar(path, scalar.Value ?? string.Empty),
                YamlSequenceNode list => SpecNode.OfList(path, [.. list.Children.Select((child, i) => Convert(child, SpecNode.Item(path, i), depth + 1))]),
                YamlMappingNode map => SpecNode.OfMap(path, [.. map.Children.Select(kv => Entry(kv.Key, kv.Value, path, depth))]),
                _ => throw ModelSpec.Problem(fileName, string.Create(CultureInfo.InvariantCulture, $"line {node.Start.Line}: an alias or tag is not supported here.")),
            };
        }

        (string, SpecNode) Entry(YamlNode key, YamlNode value, string path, int depth)
        {
            string name = key is YamlScalarNode { Value: string k } ? k
                : throw ModelSpec.Problem(fileName, string.Create(CultureInfo.InvariantCulture, $"line {key.Start.Line}: a key must be a name."));
            return (name, Convert(value, SpecNode.Child(path, name), depth + 1));
        }
    }

    private static SpecNode FromJson(string text, string fileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 4 * MaxNesting });
        }
        catch (JsonException error)
        {
            throw ModelSpec.Problem(fileName, $"not valid JSON: {error.Message}");
        }
        using (document)
        {
            return Convert(document.RootElement, string.Empty, 0);
        }

        SpecNode Convert(JsonElement node, string path, int depth)
        {
            CheckDepth(fileName, path, depth);
            return node.ValueKind switch
            {
                JsonValueKind.Object => SpecNode.OfMap(path, [.. node.EnumerateObject().Select(p => (p.Name, Convert(p.Value, SpecNode.Child(path, p.Name), depth + 1)))]),
                JsonValueKind.Array => SpecNode.OfList(path, [.. node.EnumerateArray().Select((child, i) => Convert(child, SpecNode.Item(path, i), depth + 1))]),
                JsonValueKind.String => SpecNode.OfScalar(path, node.GetString()!),
                JsonValueKind.Number => SpecNode.OfScalar(path, node.GetRawText()),
                JsonValueKind.True => SpecNode.OfScalar(path, "true"),
                JsonValueKind.False => SpecNode.OfScalar(path, "false"),
                _ => throw ModelSpec.Problem(fileName, $"{ModelSpec.Where(path)}got null; give a value or leave the key out."),
            };
        }
    }

    /// <summary>How deeply nodes may nest: a residual block inside a block inside … 16 deep is far beyond any real net, and
    /// a bound keeps a hostile file from exhausting the stack.</summary>
    private const int MaxNesting = 64;

    /// <summary>The deepest nesting of [ and { in <paramref name="text"/> (quotes ignored: an overestimate is only stricter).</summary>
    private static int FlowNesting(string text)
    {
        int depth = 0, deepest = 0;
        foreach (char c in text)
        {
            depth += c is '[' or '{' ? 1 : c is ']' or '}' ? -1 : 0;
            deepest = Math.Max(deepest, depth);
        }
        return deepest;
    }

    private static void CheckDepth(string fileName, string path, int depth)
    {
        if (depth > MaxNesting)
        {
            throw ModelSpec.Problem(fileName, string.Create(CultureInfo.InvariantCulture, $"{ModelSpec.Where(path)}nested more than {MaxNesting} levels deep."));
        }
    }
}
