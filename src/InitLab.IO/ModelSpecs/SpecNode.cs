using System.Globalization;

namespace InitLab.ModelSpecs;

/// <summary>One node of a model spec file, JSON or YAML alike: a mapping, a list or a scalar (numbers and booleans as
/// their text), with its path inside the file (<c>layers[3].branch[1].units</c>) so every error can point at it.</summary>
internal sealed class SpecNode
{
    private SpecNode(string path, string? scalar, IReadOnlyList<(string Key, SpecNode Value)>? map, IReadOnlyList<SpecNode>? list)
    {
        Path = path;
        Scalar = scalar;
        Map = map;
        List = list;
    }

    /// <summary>Where the node is in the file: <c>layers[3].branch[1].units</c> (empty for the root).</summary>
    public string Path { get; }

    /// <summary>The text of a scalar, or null.</summary>
    public string? Scalar { get; }

    /// <summary>The entries of a mapping in file order, or null.</summary>
    public IReadOnlyList<(string Key, SpecNode Value)>? Map { get; }

    /// <summary>The items of a list, or null.</summary>
    public IReadOnlyList<SpecNode>? List { get; }

    /// <summary>What the node is, for "expected a list, got a mapping".</summary>
    public string Kind => Scalar is not null ? $"the value '{Scalar}'" : Map is not null ? "a mapping" : "a list";

    public static SpecNode OfScalar(string path, string text) => new(path, text, null, null);

    public static SpecNode OfMap(string path, IReadOnlyList<(string, SpecNode)> entries) => new(path, null, entries, null);

    public static SpecNode OfList(string path, IReadOnlyList<SpecNode> items) => new(path, null, null, items);

    /// <summary>The path of a mapping's entry.</summary>
    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The path of a list's item.</summary>
    public static string Item(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");
}
