using System.Globalization;
using InitLab.Layers;

namespace InitLab.ModelSpecs;

/// <summary>A network written as a stack of layers in a JSON or YAML file (<c>--model FILE</c>): any sequence of Dense,
/// BatchNormalization, LayerNormalization, Activation, ScalarBias, Dropout, Conv2D, Conv2DTranspose, Flatten,
/// MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D and Residual blocks (with their own branch lists) — what the <c>--arch</c> flags cannot say.
/// The input width comes from the data; an optional top-level <c>input_shape</c> (e.g. [8, 8, 1]: height, width,
/// channels) says how its rows are images, which the 2-D layers need. The schema is in docs/cli.md.</summary>
public sealed class ModelSpec
{
    private readonly IReadOnlyList<LayerSpec> _layers;
    private readonly int[]? _inputShape;

    private ModelSpec(string fileName, IReadOnlyList<LayerSpec> layers, int[]? inputShape)
    {
        FileName = fileName;
        _layers = layers;
        _inputShape = inputShape;
    }

    /// <summary>The file's name, as errors show it.</summary>
    public string FileName { get; }

    /// <summary>Top-level layers in the file.</summary>
    public int LayerCount => _layers.Count;

    /// <summary>The file's <c>input_shape</c>, or null when it gives none (rows are then flat, of the data's width).</summary>
    public IReadOnlyList<int>? DeclaredInputShape => _inputShape;

    /// <summary>The shape of one input row for data of <paramref name="inputDim"/> flat features: the file's
    /// <c>input_shape</c>, which must hold exactly that many values, or [inputDim].</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="ArgumentException">The file's input_shape does not hold <paramref name="inputDim"/> values
    /// (ParamName <c>modelFile</c>).</exception>
    public IReadOnlyList<int> InputShape(int inputDim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        return InputShape([inputDim]);
    }

    /// <summary>The shape of one input row for data whose rows have <paramref name="dataShape"/> (e.g. the digits'
    /// [8, 8, 1], a CSV's [features]): the file's <c>input_shape</c> when it gives one (it must hold as many values),
    /// else the data's. Build the model with it: <c>new Sequential(spec.InputShape(data.RowShape),
    /// spec.Layers(data.RowShape, …), seed)</c>.</summary>
    /// <param name="dataShape">The data's row shape.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="ArgumentException">The file's input_shape does not hold the data's values per row (ParamName
    /// <c>modelFile</c>).</exception>
    public IReadOnlyList<int> InputShape(IReadOnlyList<int> dataShape)
    {
        ArgumentNullException.ThrowIfNull(dataShape);
        long features = dataShape.Aggregate(1L, (product, d) => product * d);
        if (dataShape.Count == 0 || dataShape.Any(d => d < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dataShape), $"ModelSpec: a row shape has dimensions >= 1, got [{string.Join(", ", dataShape)}].");
        }
        if (_inputShape is null)
        {
            return [.. dataShape];
        }
        long values = _inputShape.Aggregate(1L, (product, d) => product * d);
        return values == features ? _inputShape
            : throw Problem(FileName, string.Create(CultureInfo.InvariantCulture,
                $"input_shape: [{string.Join(", ", _inputShape)}] holds {values} values per row, but the data has {features} features; give a shape whose product is {features}, or leave input_shape out to use the data's row shape."));
    }

    /// <summary>The layers for inputs of <paramref name="inputDim"/> flat features, unbuilt (the model names and builds them).</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <param name="defaults">Initializers and output activation where the file gives none.</param>
    /// <returns>The layers, first to last.</returns>
    /// <exception cref="ArgumentException">A layer's weights would not fit in one array, or a layer does not fit its
    /// input's shape (names the layer's path).</exception>
    public IReadOnlyList<Layer> Layers(int inputDim, ModelSpecDefaults defaults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        return Layers([inputDim], defaults);
    }

    /// <summary>The layers for rows of <paramref name="dataShape"/> (see <see cref="InputShape(IReadOnlyList{int})"/>), unbuilt.</summary>
    /// <param name="dataShape">The data's row shape.</param>
    /// <param name="defaults">Initializers and output activation where the file gives none.</param>
    /// <returns>The layers, first to last.</returns>
    /// <exception cref="ArgumentException">A layer's weights would not fit in one array, or a layer does not fit its
    /// input's shape (names the layer's path).</exception>
    public IReadOnlyList<Layer> Layers(IReadOnlyList<int> dataShape, ModelSpecDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var layers = new List<Layer>();
        int[] shape = [.. InputShape(dataShape)];
        for (int i = 0; i < _layers.Count; i++)
        {
            bool last = i == _layers.Count - 1;
            layers.Add(_layers[i].Build(FileName, ref shape, defaults, last ? defaults.OutputActivation : null));
        }
        return layers;
    }

    /// <summary>The network's output width for inputs of <paramref name="inputDim"/> flat features.</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <returns>The last layer's width.</returns>
    public int OutputWidth(int inputDim) => OutputWidth([inputDim]);

    /// <summary>The network's output width for rows of <paramref name="dataShape"/>.</summary>
    /// <param name="dataShape">The data's row shape.</param>
    /// <returns>The last layer's width.</returns>
    public int OutputWidth(IReadOnlyList<int> dataShape)
    {
        int[] shape = [.. InputShape(dataShape)];
        var units = new List<int>();
        foreach (LayerSpec layer in _layers)
        {
            shape = layer.Shapes(shape, units);
        }
        return LayerSpec.Width(shape);
    }

    /// <summary>The input width, then every Dense layer's units in forward order (blocks and projections included): what
    /// the memory estimate of a training run needs.</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <returns>The widths (at least two: a stack without Dense layers keeps the input width).</returns>
    public IReadOnlyList<int> Widths(int inputDim) => Widths([inputDim]);

    /// <summary>As <see cref="Widths(int)"/>, for rows of <paramref name="dataShape"/>.</summary>
    /// <param name="dataShape">The data's row shape.</param>
    /// <returns>The widths.</returns>
    public IReadOnlyList<int> Widths(IReadOnlyList<int> dataShape)
    {
        int[] shape = [.. InputShape(dataShape)];
        var widths = new List<int> { LayerSpec.Width(shape) };
        foreach (LayerSpec layer in _layers)
        {
            shape = layer.Shapes(shape, widths);
        }
        if (widths.Count == 1)
        {
            widths.Add(LayerSpec.Width(shape));
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
        int[]? inputShape = null;
        foreach ((string key, SpecNode value) in root.Map)
        {
            switch (key)
            {
                case "layers":
                    layers = value;
                    break;
                case "input_shape":
                    inputShape = ReadInputShape(value, fileName);
                    break;
                default:
                    string? near = Common.NameLookup.Nearest(key, ["input_shape", "layers"]);
                    throw Problem(fileName, $"unknown key '{key}' at the top.{(near is null ? string.Empty : $" Did you mean '{near}'?")} Valid: input_shape, layers.");
            }
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
        return new ModelSpec(fileName, parsed, inputShape);
    }

    /// <summary>The most dimensions an input_shape may have (an image's is 3).</summary>
    internal const int MaxInputRank = 8;

    /// <summary>A list of 1 to <see cref="MaxInputRank"/> whole numbers ≥ 1 whose product fits one array.</summary>
    private static int[] ReadInputShape(SpecNode node, string fileName)
    {
        if (node.List is not { Count: >= 1 and <= MaxInputRank } items || items.Any(i => i.Scalar is null))
        {
            throw Problem(fileName, string.Create(CultureInfo.InvariantCulture,
                $"input_shape: expected a list of 1 to {MaxInputRank} whole numbers, e.g. [8, 8, 1] (height, width, channels), got {node.Kind}."));
        }
        var shape = new int[items.Count];
        long product = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            string text = items[i].Scalar!;
            shape[i] = int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int d) && d >= 1
                ? d
                : throw Problem(fileName, string.Create(CultureInfo.InvariantCulture, $"{items[i].Path}: got '{text}'; every dimension is a whole number >= 1."));
            product = Math.Min(product * d, (long)Array.MaxLength + 1);
        }
        return product <= Array.MaxLength ? shape
            : throw Problem(fileName, string.Create(CultureInfo.InvariantCulture, $"input_shape: [{string.Join(", ", shape)}] holds more values per row than one array ({Array.MaxLength})."));
    }

    /// <summary>The most top-level layers a spec may list (a typo-sized bound, far above any real net).</summary>
    internal const int MaxLayers = 100_000;
}
