using System.Globalization;
using InitLab.Layers;

namespace InitLab.ModelSpecs;

/// <summary>A network written as a stack of layers in a JSON or YAML file (<c>--model FILE</c>): any sequence of Dense,
/// BatchNormalization, LayerNormalization, Activation, ScalarBias and Residual blocks (with their own branch lists) —
/// what the <c>--arch</c> flags cannot say. The input width comes from the data; the schema is in docs/cli.md.</summary>
public sealed class ModelSpec
{
    private readonly IReadOnlyList<LayerSpec> _layers;

    private ModelSpec(string fileName, IReadOnlyList<LayerSpec> layers)
    {
        FileName = fileName;
        _layers = layers;
    }

    /// <summary>The file's name, as errors show it.</summary>
    public string FileName { get; }

    /// <summary>Top-level layers in the file.</summary>
    public int LayerCount => _layers.Count;

    /// <summary>The layers for inputs of <paramref name="inputDim"/> features, unbuilt (the model names and builds them).</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <param name="defaults">Initializers and output activation where the file gives none.</param>
    /// <returns>The layers, first to last.</returns>
    /// <exception cref="ArgumentException">A layer's weights would not fit in one array (names the layer's path).</exception>
    public IReadOnlyList<Layer> Layers(int inputDim, ModelSpecDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        var layers = new List<Layer>();
        int width = inputDim;
        for (int i = 0; i < _layers.Count; i++)
        {
            bool last = i == _layers.Count - 1;
            layers.Add(_layers[i].Build(FileName, ref width, defaults, last ? defaults.OutputActivation : null));
        }
        return layers;
    }

    /// <summary>The network's output width for inputs of <paramref name="inputDim"/> features.</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <returns>The last layer's width.</returns>
    public int OutputWidth(int inputDim)
    {
        int width = inputDim;
        var units = new List<int>();
        foreach (LayerSpec layer in _layers)
        {
            width = layer.Widths(width, units);
        }
        return width;
    }

    /// <summary>The input width, then every Dense layer's units in forward order (blocks and projections included): what
    /// the memory estimate of a training run needs.</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <returns>The widths (at least two: a stack without Dense layers keeps the input width).</returns>
    public IReadOnlyList<int> Widths(int inputDim)
    {
        var widths = new List<int> { inputDim };
        int width = inputDim;
        foreach (LayerSpec layer in _layers)
        {
            width = layer.Widths(width, widths);
        }
        if (widths.Count == 1)
        {
            widths.Add(width);
        }
        return widths;
    }

    /// <summary>Where the output width is set: the path of the last Dense that decides it (e.g. <c>layers[4].units</c>),
    /// for "the data has 10 classes" errors.</summary>
    public string OutputPath => _layers[^1].OutputPath ?? SpecNode.Item("layers", _layers.Count - 1);

    /// <summary>The activation the network's output goes through: the last layer's own (a Dense or an Activation
    /// layer), <paramref name="fallback"/> for a last Dense that names none, or linear after any other layer.</summary>
    /// <param name="fallback">The command's output activation.</param>
    /// <returns>An activation name.</returns>
    public string OutputActivation(string fallback) => _layers[^1].OutputActivation(fallback);

    /// <summary>An error about the file: its name, then the message; ParamName <c>modelFile</c> (the CLI's <c>--model</c>).</summary>
    internal static ArgumentException Problem(string modelFile, string message) => new($"{modelFile}: {message}", nameof(modelFile));

    /// <summary>"layers[3].units: " or nothing for the root.</summary>
    internal static string Where(string path) => path.Length == 0 ? string.Empty : path + ": ";

    internal static ModelSpec FromRoot(SpecNode root, string fileName)
    {
        if (root.Map is null)
        {
            throw Problem(fileName, $"expected a mapping with a 'layers' list (layers: [{{type: dense, units: 64}}, …]), got {root.Kind}.");
        }
        SpecNode? layers = null;
        foreach ((string key, SpecNode value) in root.Map)
        {
            if (key != "layers")
            {
                throw Problem(fileName, $"unknown key '{key}' at the top.{(Common.NameLookup.Nearest(key, ["layers"]) is null ? string.Empty : " Did you mean 'layers'?")} Valid: layers.");
            }
            layers = value;
        }
        if (layers is null)
        {
            throw Problem(fileName, "no 'layers' list; the file needs layers: [{type: dense, units: 64}, …].");
        }
        IReadOnlyList<LayerSpec> parsed = LayerSpec.ParseList(layers, fileName);
        if (parsed.Count > MaxLayers)
        {
            throw Problem(fileName, string.Create(CultureInfo.InvariantCulture, $"layers: {parsed.Count} top-level layers; at most {MaxLayers}."));
        }
        return new ModelSpec(fileName, parsed);
    }

    /// <summary>The most top-level layers a spec may list (a typo-sized bound, far above any real net).</summary>
    internal const int MaxLayers = 100_000;
}
