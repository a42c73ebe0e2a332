using System.Globalization;
using InitLab.Activations;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;

namespace InitLab.ModelSpecs;

/// <summary>One layer of a model spec, parsed and checked (names resolved, numbers in range), not yet built: building needs
/// the input width, which comes from the data.</summary>
internal sealed class LayerSpec
{
    /// <summary>The layer types by canonical (Keras snake-case) name, with the keys each accepts besides <c>type</c>.</summary>
    private static readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal)
    {
        ["dense"] = ["units", "activation", "kernel_initializer", "bias_initializer", "use_bias"],
        ["batch_normalization"] = ["momentum", "epsilon", "gamma_initializer", "beta_initializer"],
        ["layer_normalization"] = ["epsilon", "gamma_initializer", "beta_initializer"],
        ["activation"] = ["activation"],
        ["scalar_bias"] = ["value"],
        ["residual"] = ["branch", "alpha", "trainable_alpha", "projection"],
        ["max_pooling2d"] = ["pool_size", "strides", "padding"],
        ["average_pooling2d"] = ["pool_size", "strides", "padding"],
        ["global_average_pooling2d"] = [],
        ["dropout"] = ["rate"],
        ["conv2d"] = ["filters", "kernel_size", "strides", "padding", "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer"],
        ["conv2d_transpose"] = ["filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias", "kernel_initializer", "bias_initializer"],
        ["flatten"] = [],
        ["simple_rnn"] = ["units", "activation", "return_sequences", "kernel_initializer", "recurrent_initializer", "bias_initializer"],
        ["lstm"] = ["units", "activation", "recurrent_activation", "return_sequences", "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias"],
        ["gru"] = ["units", "activation", "recurrent_activation", "return_sequences", "kernel_initializer", "recurrent_initializer", "bias_initializer", "reset_after"],
    };

    /// <summary>Keras class names (and short forms) accepted for each type.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["batchnormalization"] = "batch_normalization",
        ["batch_norm"] = "batch_normalization",
        ["layernormalization"] = "layer_normalization",
        ["layer_norm"] = "layer_normalization",
        ["scalarbias"] = "scalar_bias",
        ["maxpooling2d"] = "max_pooling2d",
        ["maxpool2d"] = "max_pooling2d",
        ["averagepooling2d"] = "average_pooling2d",
        ["avgpool2d"] = "average_pooling2d",
        ["averagepool2d"] = "average_pooling2d",
        ["globalaveragepooling2d"] = "global_average_pooling2d",
        ["globalavgpool2d"] = "global_average_pooling2d",
        ["convolution2d"] = "conv2d",
        ["conv2dtranspose"] = "conv2d_transpose",
        ["convolution2dtranspose"] = "conv2d_transpose",
        ["simplernn"] = "simple_rnn",
        ["rnn"] = "simple_rnn",
    };

    /// <summary>The largest pooling window or stride side (a typo bound; an image side is far smaller).</summary>
    internal const int MaxWindow = 1 << 16;

    /// <summary>The most units one Dense may have (2^24): a typo bound before the memory estimate.</summary>
    internal const int MaxUnits = 1 << 24;

    private readonly Dictionary<string, SpecNode> _values;
    private readonly string _file;

    private LayerSpec(string type, string path, Dictionary<string, SpecNode> values, string file)
    {
        Type = type;
        Path = path;
        _values = values;
        _file = file;
        Branch = type == "residual" ? ParseList(Require("branch"), file) : [];
        if (type == "residual" && Branch.Count == 0)
        {
            throw Problem(SpecNode.Child(path, "branch"), "the branch is empty; a residual block needs at least one layer.");
        }
        Validate();
    }

    /// <summary>The canonical type name (dense, batch_normalization, …).</summary>
    public string Type { get; }

    /// <summary>Where the layer is in the file (<c>layers[3]</c>).</summary>
    public string Path { get; }

    /// <summary>A residual block's branch, else empty.</summary>
    public IReadOnlyList<LayerSpec> Branch { get; }

    /// <summary>The path of the key that sets this layer's output width (a Dense's units, a block's last branch
    /// layer's), or null for a layer that keeps its input width.</summary>
    public string? OutputPath => Type switch
    {
        "dense" or "simple_rnn" or "lstm" or "gru" => SpecNode.Child(Path, "units"),
        "residual" => Branch.Select(l => l.OutputPath).LastOrDefault(p => p is not null),
        _ => null,
    };

    /// <summary>Parses a list of layers (the file's <c>layers</c> or a block's <c>branch</c>).</summary>
    public static IReadOnlyList<LayerSpec> ParseList(SpecNode node, string file)
    {
        if (node.List is null)
        {
            throw ModelSpec.Problem(file, $"{ModelSpec.Where(node.Path)}expected a list of layers ([{{type: dense, units: 64}}, …]), got {node.Kind}.");
        }
        if (node.List.Count == 0)
        {
            throw ModelSpec.Problem(file, $"{ModelSpec.Where(node.Path)}the list is empty; give at least one layer.");
        }
        return [.. node.List.Select(item => Parse(item, file))];
    }

    private static LayerSpec Parse(SpecNode node, string file)
    {
        if (node.Map is null)
        {
            throw ModelSpec.Problem(file, $"{ModelSpec.Where(node.Path)}expected a layer (a mapping such as {{type: dense, units: 64}}), got {node.Kind}.");
        }
        var values = new Dictionary<string, SpecNode>(StringComparer.Ordinal);
        foreach ((string key, SpecNode value) in node.Map)
        {
            if (!values.TryAdd(key, value))
            {
                throw ModelSpec.Problem(file, $"{ModelSpec.Where(SpecNode.Child(node.Path, key))}given twice.");
            }
        }
        if (!values.Remove("type", out SpecNode? typeNode) || typeNode.Scalar is not string typeText)
        {
            throw ModelSpec.Problem(file, $"{ModelSpec.Where(SpecNode.Child(node.Path, "type"))}missing; every layer needs a type, one of {string.Join(", ", Keys.Keys)}.");
        }
        string key0 = NameLookup.Normalize(typeText);
        string type = Keys.ContainsKey(key0) ? key0 : Aliases.TryGetValue(key0.Replace("_", string.Empty, StringComparison.Ordinal), out string? alias) ? alias
            : Aliases.TryGetValue(key0, out alias) ? alias
            : throw ModelSpec.Problem(file, $"{ModelSpec.Where(typeNode.Path)}{NameLookup.UnknownMessage("layer type", typeText, Keys.Keys)}");
        string[] allowed = Keys[type];
        foreach (string key in values.Keys)
        {
            if (!allowed.Contains(key))
            {
                string? near = NameLookup.Nearest(key, allowed);
                throw ModelSpec.Problem(file, $"{ModelSpec.Where(SpecNode.Child(node.Path, key))}'{key}' is not a key of a {type} layer." +
                    (near is null ? string.Empty : $" Did you mean '{near}'?") + $" Valid: type, {string.Join(", ", allowed)}.");
            }
        }
        return new LayerSpec(type, node.Path, values, file);
    }

    /// <summary>Resolves every name and number once, so a bad value fails when the file is read, not at training.</summary>
    private void Validate()
    {
        switch (Type)
        {
            case "dense":
                _ = Units();
                _ = ActivationName("activation", required: false);
                _ = Initializer("kernel_initializer");
                _ = Initializer("bias_initializer");
                _ = Bool("use_bias", true);
                break;
            case "batch_normalization":
                _ = Number("momentum", 0.99, 0, 1, "in [0, 1)", upperOpen: true);
                _ = Epsilon();
                _ = Initializer("gamma_initializer");
                _ = Initializer("beta_initializer");
                break;
            case "layer_normalization":
                _ = Epsilon();
                _ = Initializer("gamma_initializer");
                _ = Initializer("beta_initializer");
                break;
            case "activation":
                _ = ActivationName("activation", required: true);
                break;
            case "scalar_bias":
                _ = Number("value", 0, double.NegativeInfinity, double.PositiveInfinity, "a finite number");
                break;
            case "residual":
                _ = Number("alpha", 1, double.NegativeInfinity, double.PositiveInfinity, "a finite number");
                _ = Bool("trainable_alpha", false);
                _ = ProjectionInitializer();
                break;
            case "max_pooling2d":
            case "average_pooling2d":
                _ = Pooling();
                break;
            case "conv2d":
            case "conv2d_transpose":
                _ = Convolution();
                _ = ActivationName("activation", required: false);
                _ = Initializer("kernel_initializer");
                _ = Initializer("bias_initializer");
                _ = Bool("use_bias", true);
                break;
            case "simple_rnn":
            case "lstm":
            case "gru":
                _ = Units();
                _ = ActivationName("activation", required: false);
                _ = ActivationName("recurrent_activation", required: false);
                _ = Bool("return_sequences", false);
                _ = Bool("unit_forget_bias", true);
                _ = Bool("reset_after", true);
                _ = Initializer("kernel_initializer");
                _ = Initializer("recurrent_initializer");
                _ = Initializer("bias_initializer");
                break;
            case "dropout":
                _ = Require("rate");
                _ = Number("rate", 0.5, 0, 1, "in [0, 1) (the fraction dropped in training)", upperOpen: true);
                break;
        }
    }

    /// <summary>Builds the layer for rows of <paramref name="shape"/> and moves <paramref name="shape"/> to its output's.</summary>
    public Layer Build(string file, ref int[] shape, ModelSpecDefaults defaults, string? outputActivation)
    {
        int input = Width(shape);
        int width = input;
        switch (Type)
        {
            case "dense":
                int units = Units();
                CheckArray(input, units);
                shape = [units];
                string activation = ActivationName("activation", required: false) ?? outputActivation ?? "linear";
                return new Dense(units, ActivationRegistry.Resolve(activation),
                    Initializer("kernel_initializer") ?? defaults.KernelInitializer(), Initializer("bias_initializer") ?? defaults.BiasInitializer(),
                    Bool("use_bias", true));
            case "batch_normalization":
                return new BatchNormalization(Number("momentum", 0.99, 0, 1, "in [0, 1)", upperOpen: true), Epsilon(),
                    Initializer("gamma_initializer"), Initializer("beta_initializer"));
            case "layer_normalization":
                return new LayerNormalization(Epsilon(), Initializer("gamma_initializer"), Initializer("beta_initializer"));
            case "activation":
                return new ActivationLayer(ActivationRegistry.Resolve(ActivationName("activation", required: true)!));
            case "scalar_bias":
                return new ScalarBias((float)Number("value", 0, double.NegativeInfinity, double.PositiveInfinity, "a finite number"));
            case "max_pooling2d":
            case "average_pooling2d":
                shape = PooledShape(shape);
                (int[] pool, int[] strides, string padding) = Pooling();
                return Type == "max_pooling2d"
                    ? new MaxPool2D(pool[0], pool[1], strides[0], strides[1], padding)
                    : new AvgPool2D(pool[0], pool[1], strides[0], strides[1], padding);
            case "global_average_pooling2d":
                shape = [Spatial(shape)[2]];
                return new GlobalAveragePooling2D();
            case "conv2d":
            case "conv2d_transpose":
                shape = ConvolvedShape(shape);
                return BuildConvolution(defaults);
            case "flatten":
                shape = [input];
                return new Flatten();
            case "simple_rnn":
            case "lstm":
            case "gru":
                shape = RecurrentShape(shape);
                return BuildRecurrent(defaults);
            case "dropout":
                return new Dropout(Number("rate", 0.5, 0, 1, "in [0, 1) (the fraction dropped in training)", upperOpen: true));
            default:
                var branch = new List<Layer>();
                foreach (LayerSpec layer in Branch)
                {
                    branch.Add(layer.Build(file, ref shape, defaults, null));
                }
                width = Width(shape);
                Dense? projection = null;
                if (ProjectionInitializer() is IInitializer kernel)
                {
                    CheckArray(input, width);
                    projection = new Dense(width, new Linear(), kernel, useBias: false);
                }
                else if (width != input)
                {
                    CheckArray(input, width); // the block makes its own projection (glorot_uniform, no bias)
                }
                return new Residual(branch, (float)Number("alpha", 1, double.NegativeInfinity, double.PositiveInfinity, "a finite number"),
                    Bool("trainable_alpha", false), projection);
        }
    }

    /// <summary>The output shape for rows of <paramref name="shape"/>; appends every Dense's units to <paramref name="units"/>.</summary>
    public int[] Shapes(int[] shape, List<int> units)
    {
        switch (Type)
        {
            case "dense":
                units.Add(Units());
                return [Units()];
            case "residual":
                int input = Width(shape);
                foreach (LayerSpec layer in Branch)
                {
                    shape = layer.Shapes(shape, units);
                }
                if (Width(shape) != input || ProjectionInitializer() is not null)
                {
                    units.Add(Width(shape));
                }
                return shape;
            case "max_pooling2d":
            case "average_pooling2d":
                return PooledShape(shape);
            case "global_average_pooling2d":
                return [Spatial(shape)[2]];
            case "conv2d":
            case "conv2d_transpose":
                return ConvolvedShape(shape);
            case "flatten":
                return [Width(shape)];
            case "simple_rnn":
            case "lstm":
            case "gru":
                return RecurrentShape(shape);
            default:
                return shape;
        }
    }

    /// <summary>Values per row of <paramref name="shape"/> (shapes here come from checked input shapes and pooling, which
    /// only shrinks them, or a Dense's units).</summary>
    internal static int Width(int[] shape)
    {
        long width = 1;
        foreach (int d in shape)
        {
            width *= d;
        }
        return (int)Math.Min(width, int.MaxValue);
    }

    /// <summary>The [height, width, channels] a 2-D layer needs, or an error that says how to give it.</summary>
    private int[] Spatial(int[] shape) => shape.Length == 3 ? shape
        : throw Problem(SpecNode.Child(Path, "type"), $"a {Type} layer needs rows shaped [height, width, channels], but its input is [{string.Join(", ", shape)}]. Give input_shape: [HEIGHT, WIDTH, CHANNELS] at the top of the file (e.g. [8, 8, 1] for the digits), and put 2-D layers before any dense layer.");

    /// <summary>A pooling layer's output shape (Keras's sizes, <see cref="Pooling2D.OutputSize"/>).</summary>
    private int[] PooledShape(int[] shape)
    {
        int[] image = Spatial(shape);
        (int[] pool, int[] strides, string padding) = Pooling();
        (int height, _) = Pooling2D.OutputSize(image[0], pool[0], strides[0], padding == "same");
        (int width, _) = Pooling2D.OutputSize(image[1], pool[1], strides[1], padding == "same");
        if (height < 1 || width < 1)
        {
            throw Problem(SpecNode.Child(Path, "pool_size"), string.Create(CultureInfo.InvariantCulture,
                $"a {pool[0]}×{pool[1]} window with padding valid does not fit the {image[0]}×{image[1]} input; use a smaller window or padding: same."));
        }
        return [height, width, image[2]];
    }

    /// <summary>A recurrent layer with Keras's defaults (tanh, sigmoid gates, orthogonal recurrent kernel,
    /// unit_forget_bias and reset_after true); the kernel and bias initializers default to the command's, as a Dense's.</summary>
    private Layer BuildRecurrent(ModelSpecDefaults defaults)
    {
        int units = Units();
        bool sequences = Bool("return_sequences", false);
        Activation activation = ActivationRegistry.Resolve(ActivationName("activation", required: false) ?? "tanh");
        Activation gates = ActivationRegistry.Resolve(ActivationName("recurrent_activation", required: false) ?? "sigmoid");
        IInitializer kernel = Initializer("kernel_initializer") ?? defaults.KernelInitializer();
        IInitializer? recurrent = Initializer("recurrent_initializer");
        IInitializer bias = Initializer("bias_initializer") ?? defaults.BiasInitializer();
        try
        {
            return Type switch
            {
                "lstm" => new Lstm(units, sequences, activation, gates, kernel, recurrent, bias, Bool("unit_forget_bias", true)),
                "gru" => new Gru(units, sequences, activation, gates, kernel, recurrent, bias, Bool("reset_after", true)),
                _ => new SimpleRnn(units, sequences, activation, kernel, recurrent, bias),
            };
        }
        catch (ArgumentException error)
        {
            throw Problem(SpecNode.Child(Path, error.ParamName == "recurrentActivation" ? "recurrent_activation" : "activation"), Clean(error));
        }
    }

    /// <summary>A recurrent layer's output shape: [T, units] with return_sequences, else [units]; its input must be
    /// [timesteps, features] and its kernels fit one array.</summary>
    private int[] RecurrentShape(int[] shape)
    {
        if (shape.Length != 2)
        {
            throw Problem(SpecNode.Child(Path, "type"), $"a {Type} layer needs rows shaped [timesteps, features], but its input is [{string.Join(", ", shape)}]. Give input_shape: [TIMESTEPS, FEATURES] at the top of the file (the built-in sequence sets carry theirs), and return_sequences: true on a recurrent layer that feeds another.");
        }
        int units = Units(), gates = Type switch { "lstm" => 4, "gru" => 3, _ => 1 };
        long kernel = (long)shape[1] * gates * units, recurrent = (long)units * gates * units;
        if (kernel > Array.MaxLength || recurrent > Array.MaxLength)
        {
            throw Problem(SpecNode.Child(Path, "units"), string.Create(CultureInfo.InvariantCulture,
                $"kernels of {kernel} and {recurrent} weights are more than one array holds ({Array.MaxLength}); use fewer units."));
        }
        return Bool("return_sequences", false) ? [shape[0], units] : [units];
    }

    private Layer BuildConvolution(ModelSpecDefaults defaults)
    {
        var (filters, kernel, strides, dilation, padding, groups) = Convolution();
        var activation = ActivationRegistry.Resolve(ActivationName("activation", required: false) ?? "linear");
        IInitializer kernelInitializer = Initializer("kernel_initializer") ?? defaults.KernelInitializer();
        IInitializer biasInitializer = Initializer("bias_initializer") ?? defaults.BiasInitializer();
        var mode = padding == "same" ? ConvolutionPadding.Same : ConvolutionPadding.Valid;
        return Type == "conv2d"
            ? new Conv2D(filters, (kernel[0], kernel[1]), (strides[0], strides[1]), mode, (dilation[0], dilation[1]), groups,
                activation, kernelInitializer, biasInitializer, Bool("use_bias", true))
            : new Conv2DTranspose(filters, (kernel[0], kernel[1]), (strides[0], strides[1]), mode, (dilation[0], dilation[1]),
                activation, kernelInitializer, biasInitializer, Bool("use_bias", true));
    }

    /// <summary>A convolution's output shape by Keras's rules (k_eff = (k − 1)·d + 1; Conv2D "valid" ⌊(n − k_eff)/s⌋ + 1,
    /// "same" ⌈n/s⌉; Conv2DTranspose "valid" n·s + max(k_eff − s, 0), "same" n·s), checked to fit one array, as are its
    /// kernel and the groups' division of the channels.</summary>
    private int[] ConvolvedShape(int[] shape)
    {
        int[] image = Spatial(shape);
        var (filters, kernel, strides, dilation, padding, groups) = Convolution();
        bool same = padding == "same", transposed = Type == "conv2d_transpose";
        if (image[2] % groups != 0)
        {
            throw Problem(SpecNode.Child(Path, "groups"), string.Create(CultureInfo.InvariantCulture,
                $"got {groups}, which does not divide the {image[2]} input channels; groups must divide both the channels and the filters."));
        }
        var output = new long[2];
        for (int axis = 0; axis < 2; axis++)
        {
            long n = image[axis], effective = (kernel[axis] - 1L) * dilation[axis] + 1, s = strides[axis];
            output[axis] = transposed ? n * s + (same ? 0 : Math.Max(effective - s, 0))
                : same ? (n + s - 1) / s : n < effective ? 0 : (n - effective) / s + 1;
        }
        if (output[0] < 1 || output[1] < 1)
        {
            throw Problem(SpecNode.Child(Path, "kernel_size"), string.Create(CultureInfo.InvariantCulture,
                $"a {kernel[0]}×{kernel[1]} window (dilation {dilation[0]}×{dilation[1]}) with padding valid does not fit the {image[0]}×{image[1]} input; use a smaller window or padding: same."));
        }
        long weights = (long)kernel[0] * kernel[1] * (image[2] / groups) * filters;
        long values = output[0] > Array.MaxLength || output[1] > Array.MaxLength || output[0] * output[1] > Array.MaxLength
            ? long.MaxValue : output[0] * output[1] * filters;
        if (weights > Array.MaxLength || values > Array.MaxLength)
        {
            throw Problem(SpecNode.Child(Path, "filters"), string.Create(CultureInfo.InvariantCulture,
                $"the layer would have {weights} kernel weights and {values} outputs per row; one array holds at most {Array.MaxLength}. Use fewer filters or a smaller window."));
        }
        return [(int)output[0], (int)output[1], filters];
    }

    /// <summary>A convolution's settings with Keras's defaults: filters (required), kernel_size (required), strides 1,
    /// dilation_rate 1, padding valid, groups 1 (a divisor of filters).</summary>
    private (int Filters, int[] Kernel, int[] Strides, int[] Dilation, string Padding, int Groups) Convolution()
    {
        SpecNode filtersNode = Require("filters");
        _ = Require("kernel_size");
        int filters = WholeNumber(filtersNode, MaxUnits);
        int groups = _values.TryGetValue("groups", out SpecNode? groupsNode) ? WholeNumber(groupsNode, MaxUnits) : 1;
        if (filters % groups != 0)
        {
            throw Problem(groupsNode!.Path, string.Create(CultureInfo.InvariantCulture, $"got {groups}, which does not divide the {filters} filters."));
        }
        string padding = Text("padding") is string text ? NameLookup.Normalize(text) : "valid";
        if (padding is not ("valid" or "same"))
        {
            throw Problem(SpecNode.Child(Path, "padding"), $"got '{Text("padding")}'; it must be valid (no padding) or same (output ⌈n/stride⌉).");
        }
        return (filters, Pair("kernel_size")!, Pair("strides") ?? [1, 1], Pair("dilation_rate") ?? [1, 1], padding, groups);
    }

    private int WholeNumber(SpecNode node, int max)
    {
        string text = node.Scalar ?? throw Problem(node.Path, $"expected a whole number, got {node.Kind}.");
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= max
            ? n
            : throw Problem(node.Path, string.Create(CultureInfo.InvariantCulture, $"got '{text}'; it must be a whole number from 1 to {max}."));
    }

    /// <summary>pool_size (one number or [height, width]; default 2), strides (the same; default the window) and padding
    /// (valid or same; default valid), as Keras's MaxPooling2D takes them.</summary>
    private (int[] Pool, int[] Strides, string Padding) Pooling()
    {
        int[] pool = Pair("pool_size") ?? [2, 2];
        int[] strides = Pair("strides") ?? pool;
        string padding = Text("padding") is string text ? NameLookup.Normalize(text) : "valid";
        if (padding is not ("valid" or "same"))
        {
            throw Problem(SpecNode.Child(Path, "padding"), $"got '{Text("padding")}'; it must be valid (no padding) or same (output ⌈n/stride⌉).");
        }
        return (pool, strides, padding);
    }

    /// <summary>One whole number n (meaning [n, n]) or a list [height, width], each from 1 to <see cref="MaxWindow"/>.</summary>
    private int[]? Pair(string key)
    {
        if (!_values.TryGetValue(key, out SpecNode? node))
        {
            return null;
        }
        IReadOnlyList<SpecNode> items = node.Scalar is not null ? [node, node] : node.List ?? [];
        if (items.Count != 2 || items.Any(i => i.Scalar is null))
        {
            throw Problem(node.Path, $"expected a whole number or a list [height, width], got {node.Kind}.");
        }
        var pair = new int[2];
        for (int i = 0; i < 2; i++)
        {
            string text = items[i].Scalar!;
            pair[i] = int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= MaxWindow
                ? n
                : throw Problem(node.Path, string.Create(CultureInfo.InvariantCulture, $"got '{text}'; it must be a whole number from 1 to {MaxWindow}."));
        }
        return pair;
    }

    /// <summary>The activation at this layer's output (see <see cref="ModelSpec.OutputActivation"/>).</summary>
    public string OutputActivation(string fallback) => Type switch
    {
        "dense" => ActivationName("activation", required: false) ?? fallback,
        "activation" => ActivationName("activation", required: true)!,
        _ => "linear",
    };

    private SpecNode Require(string key) =>
        _values.TryGetValue(key, out SpecNode? node) ? node : throw Problem(SpecNode.Child(Path, key), $"missing; a {Type} layer needs '{key}'.");

    private string? Text(string key)
    {
        if (!_values.TryGetValue(key, out SpecNode? node))
        {
            return null;
        }
        return node.Scalar ?? throw Problem(node.Path, $"expected a single value, got {node.Kind}.");
    }

    private int Units()
    {
        SpecNode node = Require("units");
        string text = node.Scalar ?? throw Problem(node.Path, $"expected a whole number, got {node.Kind}.");
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int units) && units is >= 1 and <= MaxUnits
            ? units
            : throw Problem(node.Path, string.Create(CultureInfo.InvariantCulture, $"got '{text}'; it must be a whole number from 1 to {MaxUnits}."));
    }

    private double Epsilon() => Number("epsilon", 1e-3, 0, double.PositiveInfinity, "a finite number > 0", lowerOpen: true);

    private double Number(string key, double fallback, double low, double high, string valid, bool lowerOpen = false, bool upperOpen = false)
    {
        if (Text(key) is not string text)
        {
            return fallback;
        }
        bool ok = double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
            && (lowerOpen ? x > low : x >= low) && (upperOpen ? x < high : x <= high);
        return ok ? x : throw Problem(SpecNode.Child(Path, key), $"got '{text}'; it must be {valid}.");
    }

    private bool Bool(string key, bool fallback) => Text(key) switch
    {
        null => fallback,
        string t when t.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        string t when t.Trim().Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        string t => throw Problem(SpecNode.Child(Path, key), $"got '{t}'; it must be true or false."),
    };

    private string? ActivationName(string key, bool required)
    {
        string? text = required ? Require(key).Scalar ?? Text(key) : Text(key);
        if (text is null)
        {
            return null;
        }
        try
        {
            ActivationRegistry.Resolve(text);
            return text.Trim();
        }
        catch (ArgumentException error)
        {
            throw Problem(SpecNode.Child(Path, key), Clean(error));
        }
    }

    private IInitializer? Initializer(string key)
    {
        if (Text(key) is not string text)
        {
            return null;
        }
        try
        {
            return InitializerRegistry.Resolve(text);
        }
        catch (ArgumentException error)
        {
            throw Problem(SpecNode.Child(Path, key), Clean(error));
        }
    }

    /// <summary>A block's <c>projection</c>: absent or <c>auto</c> (a glorot_uniform Dense without bias only when the branch
    /// changes the width), or a mapping <c>{kernel_initializer: NAME}</c> for a projection always, drawn with that initializer.</summary>
    private IInitializer? ProjectionInitializer()
    {
        if (!_values.TryGetValue("projection", out SpecNode? node))
        {
            return null;
        }
        string path = node.Path;
        if (node.Scalar is string text)
        {
            return NameLookup.Normalize(text) == "auto" ? null
                : throw Problem(path, $"got '{text}'; give auto (a projection only when the width changes), or {{kernel_initializer: NAME}} for one always.");
        }
        if (node.Map is null || node.Map.Count != 1 || node.Map[0].Key != "kernel_initializer" || node.Map[0].Value.Scalar is not string name)
        {
            throw Problem(path, "expected auto or {kernel_initializer: NAME} (the projection is a Dense without bias).");
        }
        try
        {
            return InitializerRegistry.Resolve(name);
        }
        catch (ArgumentException error)
        {
            throw Problem(SpecNode.Child(path, "kernel_initializer"), Clean(error));
        }
    }

    private void CheckArray(int input, int units)
    {
        long values = (long)input * units;
        if (values > Array.MaxLength)
        {
            throw Problem(OutputPath ?? Path, string.Create(CultureInfo.InvariantCulture,
                $"a {input}→{units} kernel has {values} weights, more than one array holds ({Array.MaxLength}); use fewer units."));
        }
    }

    private ArgumentException Problem(string path, string message) => ModelSpec.Problem(_file, ModelSpec.Where(path) + message);

    private static string Clean(ArgumentException error) =>
        error.ParamName is null ? error.Message : error.Message.Replace($" (Parameter '{error.ParamName}')", string.Empty, StringComparison.Ordinal);
}
