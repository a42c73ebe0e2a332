using System.Globalization;
using System.Text.Json.Nodes;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Layers;

namespace InitLab.Persistence;

/// <summary>The layer tree in model.json: each layer an object with its Keras class name and its configuration (Keras
/// field names where Keras has the layer), a residual block holding its branch's layers and its projection.</summary>
public static partial class ModelFile
{
    /// <summary>The layer kinds a file may name, as <c>class_name</c>, with the format that introduced each (Dense is in
    /// every format; the rest of format 3 came with issue 21's layer tree, format 4 with issue 22's image and sequence
    /// layers).</summary>
    private static readonly Dictionary<string, int> LayerKindsSince = new(StringComparer.Ordinal)
    {
        ["Dense"] = 1,
        ["Activation"] = 3,
        ["BatchNormalization"] = 3,
        ["LayerNormalization"] = 3,
        ["Residual"] = 3,
        ["ScalarBias"] = 3,
        ["AveragePooling2D"] = 4,
        ["Dropout"] = 4,
        ["GlobalAveragePooling2D"] = 4,
        ["MaxPooling2D"] = 4,
        ["Conv2D"] = 4,
        ["Conv2DTranspose"] = 4,
        ["Flatten"] = 4,
        ["SimpleRNN"] = 4,
        ["LSTM"] = 4,
        ["GRU"] = 4,
    };

    private static IEnumerable<string> LayerKinds => LayerKindsSince.Keys.Order(StringComparer.Ordinal);

    /// <summary>The format that introduced <paramref name="kind"/> (a kind the file cannot hold counts as newer than any).</summary>
    private static int FormatOf(string kind) => LayerKindsSince.TryGetValue(kind, out int version) ? version : int.MaxValue;

    private static JsonObject DescribeLayer(Layer layer) => layer switch
    {
        Dense dense => new JsonObject
        {
            ["class_name"] = dense.KindName,
            ["name"] = dense.Name,
            ["units"] = dense.Units,
            ["activation"] = dense.Activation.Name,
            ["use_bias"] = dense.UseBias,
            ["kernel_initializer"] = InitializerJson.ToJson(dense.KernelInitializer),
            ["bias_initializer"] = InitializerJson.ToJson(dense.BiasInitializer),
        },
        BatchNormalization norm => new JsonObject
        {
            ["class_name"] = norm.KindName,
            ["name"] = norm.Name,
            ["momentum"] = norm.Momentum,
            ["epsilon"] = norm.Epsilon,
            ["gamma_initializer"] = InitializerJson.ToJson(norm.GammaInitializer),
            ["beta_initializer"] = InitializerJson.ToJson(norm.BetaInitializer),
        },
        LayerNormalization norm => new JsonObject
        {
            ["class_name"] = norm.KindName,
            ["name"] = norm.Name,
            ["epsilon"] = norm.Epsilon,
            ["gamma_initializer"] = InitializerJson.ToJson(norm.GammaInitializer),
            ["beta_initializer"] = InitializerJson.ToJson(norm.BetaInitializer),
        },
        Residual block => new JsonObject
        {
            ["class_name"] = block.KindName,
            ["name"] = block.Name,
            // As double: every float is exactly a double, so the value reads back to the same bits.
            ["alpha"] = (double)block.InitialAlpha,
            ["trainable_alpha"] = block.TrainableAlpha,
            ["projection"] = block.Projection is Dense projection ? DescribeLayer(projection) : null,
            ["layers"] = new JsonArray([.. block.Branch.Select(l => (JsonNode)DescribeLayer(l))]),
        },
        ActivationLayer activation => new JsonObject
        {
            ["class_name"] = activation.KindName,
            ["name"] = activation.Name,
            ["activation"] = activation.Activation.Name,
        },
        ScalarBias bias => new JsonObject
        {
            ["class_name"] = bias.KindName,
            ["name"] = bias.Name,
            ["initial_value"] = (double)bias.InitialValue,
        },
        Pooling2D pool => new JsonObject
        {
            ["class_name"] = pool.KindName,
            ["name"] = pool.Name,
            ["pool_size"] = new JsonArray(pool.PoolHeight, pool.PoolWidth),
            ["strides"] = new JsonArray(pool.StrideHeight, pool.StrideWidth),
            ["padding"] = pool.Padding,
        },
        GlobalAveragePooling2D pool => new JsonObject
        {
            ["class_name"] = pool.KindName,
            ["name"] = pool.Name,
        },
        Conv2D conv => new JsonObject
        {
            ["class_name"] = conv.KindName,
            ["name"] = conv.Name,
            ["filters"] = conv.Filters,
            ["kernel_size"] = new JsonArray(conv.KernelSize.Height, conv.KernelSize.Width),
            ["strides"] = new JsonArray(conv.Strides.Height, conv.Strides.Width),
            ["padding"] = conv.Padding == ConvolutionPadding.Same ? "same" : "valid",
            ["dilation_rate"] = new JsonArray(conv.DilationRate.Height, conv.DilationRate.Width),
            ["groups"] = conv.Groups,
            ["activation"] = conv.Activation.Name,
            ["use_bias"] = conv.UseBias,
            ["kernel_initializer"] = InitializerJson.ToJson(conv.KernelInitializer),
            ["bias_initializer"] = InitializerJson.ToJson(conv.BiasInitializer),
        },
        Conv2DTranspose conv => new JsonObject
        {
            ["class_name"] = conv.KindName,
            ["name"] = conv.Name,
            ["filters"] = conv.Filters,
            ["kernel_size"] = new JsonArray(conv.KernelSize.Height, conv.KernelSize.Width),
            ["strides"] = new JsonArray(conv.Strides.Height, conv.Strides.Width),
            ["padding"] = conv.Padding == ConvolutionPadding.Same ? "same" : "valid",
            ["dilation_rate"] = new JsonArray(conv.DilationRate.Height, conv.DilationRate.Width),
            ["activation"] = conv.Activation.Name,
            ["use_bias"] = conv.UseBias,
            ["kernel_initializer"] = InitializerJson.ToJson(conv.KernelInitializer),
            ["bias_initializer"] = InitializerJson.ToJson(conv.BiasInitializer),
        },
        RecurrentLayer recurrent => DescribeRecurrent(recurrent),
        Flatten flatten => new JsonObject
        {
            ["class_name"] = flatten.KindName,
            ["name"] = flatten.Name,
        },
        Dropout dropout => new JsonObject
        {
            ["class_name"] = dropout.KindName,
            ["name"] = dropout.Name,
            ["rate"] = dropout.Rate,
        },
        _ => throw new NotSupportedException($"ModelFile: layer '{layer.Name}' is a {layer.KindName}, which the model file cannot store yet (it stores {string.Join(", ", LayerKinds)})."),
    };

    /// <summary>SimpleRNN, LSTM and GRU with Keras's config fields (the bias is always used, as the layers always have one).</summary>
    private static JsonObject DescribeRecurrent(RecurrentLayer layer)
    {
        var node = new JsonObject
        {
            ["class_name"] = layer.KindName,
            ["name"] = layer.Name,
            ["units"] = layer.Units,
            ["activation"] = layer.Activation.Name,
        };
        switch (layer)
        {
            case Lstm lstm:
                node["recurrent_activation"] = lstm.RecurrentActivation.Name;
                node["unit_forget_bias"] = lstm.UnitForgetBias;
                break;
            case Gru gru:
                node["recurrent_activation"] = gru.RecurrentActivation.Name;
                node["reset_after"] = gru.ResetAfter;
                break;
        }
        node["return_sequences"] = layer.ReturnSequences;
        node["kernel_initializer"] = InitializerJson.ToJson(layer.KernelInitializer);
        node["recurrent_initializer"] = InitializerJson.ToJson(layer.RecurrentInitializer);
        node["bias_initializer"] = InitializerJson.ToJson(layer.BiasInitializer);
        return node;
    }

    /// <summary>
    /// Reads the layer tree of an untrusted model.json without allocating any weight: every layer's configuration is
    /// checked, shapes are followed from the input (with the layers' own output-size rules), and the floats the weights
    /// need (parameters and state) are counted with overflow checks, so the caller can compare them with weights.bin
    /// before building the network.
    /// </summary>
    private sealed class LayerTreeReader(StrictJson json, long version)
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        /// <summary>Floats of every tensor the layers read so far save.</summary>
        public long Floats { get; private set; }

        /// <summary>Reads the layers of <paramref name="nodes"/> (at <paramref name="path"/>) fed rows of
        /// <paramref name="shape"/>; <paramref name="prefix"/> is the enclosing block's name and '/' (empty at the top).</summary>
        public List<Layer> ReadList(JsonArray nodes, string path, int[] shape, string prefix, out int[] outputShape)
        {
            var layers = new List<Layer>(nodes.Count);
            for (int i = 0; i < nodes.Count; i++)
            {
                Layer layer = Read(nodes[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), shape, prefix, out shape);
                layers.Add(layer);
            }
            outputShape = shape;
            return layers;
        }

        private Layer Read(JsonNode? node, string at, int[] shape, string prefix, out int[] outputShape)
        {
            int width = Width(shape);
            if (_names.Count >= MaxLayers)
            {
                throw json.Error(at, string.Create(CultureInfo.InvariantCulture, $"is one layer too many; a model holds at most {MaxLayers} layers, blocks' layers included."));
            }
            string name = json.String(node, "name", at);
            if (name.Length == 0 || (prefix.Length > 0 && (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)))
            {
                throw json.Error(at + ".name", prefix.Length == 0
                    ? "is empty; every layer has a name."
                    : $"is '{name}'; a layer inside block '{prefix[..^1]}' is named '{prefix}…'.");
            }
            if (!_names.Add(name))
            {
                throw json.Error(at + ".name", $"is '{name}', the name of an earlier layer; names identify tensors and must be unique.");
            }
            string kind = "Dense";
            if (version >= 3 || (node as JsonObject)?["class_name"] is not null)
            {
                kind = json.String(node, "class_name", at);
            }
            if (FormatOf(kind) > version && FormatOf(kind) <= Version)
            {
                throw json.Error(at + ".class_name", string.Create(CultureInfo.InvariantCulture,
                    $"is '{kind}' (layer '{name}'), but a format-{version} file holds only {string.Join(", ", LayerKindsSince.Where(k => k.Value <= version).Select(k => k.Key).Order(StringComparer.Ordinal))} layers; {kind} needs format {FormatOf(kind)}."));
            }
            outputShape = shape;
            switch (kind)
            {
                case "Dense":
                    Dense dense = ReadDense(node, at, name, width);
                    outputShape = [dense.Units];
                    return dense;
                case "BatchNormalization":
                    // γ, β, moving mean, moving variance: per channel (the last axis) of shaped rows, else per value.
                    Count(at, 4L * (shape.Length >= 2 ? shape[^1] : width));
                    return Resolve(json, at, () => new BatchNormalization(
                        json.Number(Field(node, "momentum", at), at + ".momentum"),
                        json.Number(Field(node, "epsilon", at), at + ".epsilon"),
                        Initializer(node, "gamma_initializer", at), Initializer(node, "beta_initializer", at), name));
                case "LayerNormalization":
                    Count(at, 2L * width);
                    return Resolve(json, at, () => new LayerNormalization(
                        json.Number(Field(node, "epsilon", at), at + ".epsilon"),
                        Initializer(node, "gamma_initializer", at), Initializer(node, "beta_initializer", at), name));
                case "Activation":
                    return new ActivationLayer(Resolve(json, at + ".activation", () => ActivationRegistry.Resolve(json.String(node, "activation", at))), name);
                case "ScalarBias":
                    Count(at, 1);
                    double initial = json.Number(Field(node, "initial_value", at), at + ".initial_value");
                    return Resolve(json, at + ".initial_value", () => new ScalarBias(Single(initial, at + ".initial_value"), name));
                case "Residual":
                    return ReadResidual(node, at, name, shape, out outputShape);
                case "MaxPooling2D":
                case "AveragePooling2D":
                    return ReadPooling(node, at, name, kind, shape, out outputShape);
                case "GlobalAveragePooling2D":
                    outputShape = [Spatial(shape, at, name, kind).Channels];
                    return new GlobalAveragePooling2D(name);
                case "Conv2D":
                case "Conv2DTranspose":
                    return ReadConvolution(node, at, name, kind, shape, out outputShape);
                case "Flatten":
                    outputShape = [width];
                    return new Flatten(name);
                case "SimpleRNN":
                case "LSTM":
                case "GRU":
                    return ReadRecurrent(node, at, name, kind, shape, out outputShape);
                case "Dropout":
                    double rate = json.Number(Field(node, "rate", at), at + ".rate");
                    return Resolve(json, at + ".rate", () => new Dropout(rate, name));
                default:
                    string? nearest = Common.NameLookup.Nearest(kind, LayerKinds);
                    throw json.Error(at + ".class_name", $"is '{kind}' (layer '{name}'), not a layer InitLab knows.{(nearest is null ? string.Empty : $" Did you mean '{nearest}'?")} Valid: {string.Join(", ", LayerKinds)}.");
            }
        }

        private Dense ReadDense(JsonNode? node, string at, string name, int width)
        {
            int units = (int)json.Integer(node, "units", at, 1, int.MaxValue);
            bool useBias = json.Bool(node, "use_bias", at);
            long kernel = (long)width * units;
            if (kernel > Array.MaxLength)
            {
                throw json.Error(at, string.Create(CultureInfo.InvariantCulture, $"declares a {width}×{units} kernel; a tensor holds at most {Array.MaxLength} values."));
            }
            Count(at, kernel + (useBias ? units : 0));
            return new Dense(units, Resolve(json, at + ".activation", () => ActivationRegistry.Resolve(json.String(node, "activation", at))),
                Initializer(node, "kernel_initializer", at), Initializer(node, "bias_initializer", at), useBias, name);
        }

        private Residual ReadResidual(JsonNode? node, string at, string name, int[] shape, out int[] outputShape)
        {
            int width = Width(shape);
            float alpha = Single(json.Number(Field(node, "alpha", at), at + ".alpha"), at + ".alpha");
            bool trainable = json.Bool(node, "trainable_alpha", at);
            JsonArray nodes = json.Array(node, "layers", at, MaxLayers);
            if (nodes.Count == 0)
            {
                throw json.Error(at + ".layers", $"is empty; block '{name}' needs at least one layer in its branch.");
            }
            List<Layer> branch = ReadList(nodes, at + ".layers", shape, name + "/", out outputShape);
            int outputWidth = Width(outputShape);
            Dense? projection = null;
            if (json.OptionalObject(node, "projection", at) is JsonObject shortcut)
            {
                if (shortcut["class_name"] is not null && json.String(shortcut, "class_name", at + ".projection") != "Dense")
                {
                    throw json.Error(at + ".projection.class_name", $"is '{shortcut["class_name"]}'; a block's projection is a Dense layer.");
                }
                projection = ReadDense(shortcut, at + ".projection", ProjectionName(shortcut, at, name), width);
                if (projection.Units != outputWidth)
                {
                    throw json.Error(at + ".projection.units", string.Create(CultureInfo.InvariantCulture,
                        $"is {projection.Units}, but block '{name}''s branch ends with width {outputWidth}; the two are added, so they must agree."));
                }
            }
            else if (outputWidth != width)
            {
                throw json.Error(at + ".projection", string.Create(CultureInfo.InvariantCulture,
                    $"is missing, but block '{name}''s branch maps {width} features to {outputWidth}, so its shortcut needs a projection (a Dense {width}→{outputWidth}) with saved weights."));
            }
            if (trainable)
            {
                Count(at, 1);
            }
            return new Residual(branch, alpha, trainable, projection, name);
        }

        /// <summary>A MaxPooling2D or AveragePooling2D: pool_size and strides as [height, width] (Keras writes both as
        /// lists), padding valid or same; the output size by the layer's own rule (<see cref="Pooling2D.OutputSize"/>).</summary>
        private Pooling2D ReadPooling(JsonNode? node, string at, string name, string kind, int[] shape, out int[] outputShape)
        {
            (int height, int width, int channels) = Spatial(shape, at, name, kind);
            int[] pool = Pair(node, "pool_size", at);
            int[] strides = Pair(node, "strides", at);
            string padding = json.String(node, "padding", at);
            if (padding is not ("valid" or "same"))
            {
                throw json.Error(at + ".padding", $"is '{padding}'; valid: valid, same.");
            }
            bool same = padding == "same";
            (int outputHeight, _) = Pooling2D.OutputSize(height, pool[0], strides[0], same);
            (int outputWidth, _) = Pooling2D.OutputSize(width, pool[1], strides[1], same);
            if (outputHeight < 1 || outputWidth < 1)
            {
                throw json.Error(at + ".pool_size", string.Create(CultureInfo.InvariantCulture,
                    $"is [{pool[0]}, {pool[1]}] with valid padding, larger than layer '{name}''s {height}×{width} input."));
            }
            outputShape = [outputHeight, outputWidth, channels];
            return kind == "MaxPooling2D"
                ? new MaxPool2D(pool[0], pool[1], strides[0], strides[1], padding, name)
                : new AvgPool2D(pool[0], pool[1], strides[0], strides[1], padding, name);
        }

        /// <summary>A Conv2D or Conv2DTranspose with Keras's config fields; the output size by Keras's rules (as the
        /// layers compute it: <see cref="ConvolutionLength"/>), the kernel counted as kh·kw·C/groups·filters (transposed:
        /// kh·kw·filters·C) with overflow checks before anything is allocated.</summary>
        private Layer ReadConvolution(JsonNode? node, string at, string name, string kind, int[] shape, out int[] outputShape)
        {
            (int height, int width, int channels) = Spatial(shape, at, name, kind);
            bool transposed = kind == "Conv2DTranspose";
            int filters = (int)json.Integer(node, "filters", at, 1, int.MaxValue);
            int[] kernel = Pair(node, "kernel_size", at);
            int[] strides = Pair(node, "strides", at);
            int[] dilation = Pair(node, "dilation_rate", at);
            string padding = json.String(node, "padding", at);
            if (padding is not ("valid" or "same"))
            {
                throw json.Error(at + ".padding", $"is '{padding}'; valid: valid, same.");
            }
            int groups = transposed ? 1 : (int)json.Integer(node, "groups", at, 1, int.MaxValue);
            if (channels % groups != 0 || filters % groups != 0)
            {
                throw json.Error(at + ".groups", string.Create(CultureInfo.InvariantCulture,
                    $"is {groups}, which must divide both the {channels} input channels and the {filters} filters of layer '{name}'."));
            }
            bool useBias = json.Bool(node, "use_bias", at);
            bool same = padding == "same";
            long outputHeight = ConvolutionLength(height, kernel[0], strides[0], dilation[0], same, transposed);
            long outputWidth = ConvolutionLength(width, kernel[1], strides[1], dilation[1], same, transposed);
            if (outputHeight < 1 || outputWidth < 1)
            {
                throw json.Error(at + ".kernel_size", string.Create(CultureInfo.InvariantCulture,
                    $"is [{kernel[0]}, {kernel[1]}] with dilation [{dilation[0]}, {dilation[1]}] and valid padding, larger than layer '{name}''s {height}×{width} input."));
            }
            long weights;
            try
            {
                weights = checked((long)kernel[0] * kernel[1] * (channels / groups) * filters);
            }
            catch (OverflowException)
            {
                weights = long.MaxValue;
            }
            // Each factor is checked before the product, so no product overflows.
            long outputs = outputHeight > Array.MaxLength || outputWidth > Array.MaxLength || outputHeight * outputWidth > Array.MaxLength
                ? long.MaxValue : outputHeight * outputWidth * filters;
            if (weights > Array.MaxLength || outputs > Array.MaxLength)
            {
                throw json.Error(at, string.Create(CultureInfo.InvariantCulture,
                    $"declares a {kernel[0]}×{kernel[1]}×{channels / groups}×{filters} kernel and {outputHeight}×{outputWidth}×{filters} outputs per row; one array holds at most {Array.MaxLength} values."));
            }
            Count(at, weights + (useBias ? filters : 0));
            outputShape = [(int)outputHeight, (int)outputWidth, filters];
            var activation = Resolve(json, at + ".activation", () => ActivationRegistry.Resolve(json.String(node, "activation", at)));
            IInitializer kernelInitializer = Initializer(node, "kernel_initializer", at), biasInitializer = Initializer(node, "bias_initializer", at);
            ConvolutionPadding mode = same ? ConvolutionPadding.Same : ConvolutionPadding.Valid;
            return transposed
                ? new Conv2DTranspose(filters, (kernel[0], kernel[1]), (strides[0], strides[1]), mode, (dilation[0], dilation[1]),
                    activation, kernelInitializer, biasInitializer, useBias, name)
                : new Conv2D(filters, (kernel[0], kernel[1]), (strides[0], strides[1]), mode, (dilation[0], dilation[1]), groups,
                    activation, kernelInitializer, biasInitializer, useBias, name);
        }

        /// <summary>A SimpleRNN, LSTM or GRU on rows [timesteps, features]: kernel F·G·units, recurrent kernel
        /// units·G·units and bias G·units (two rows for a reset-after GRU) counted before anything is allocated.</summary>
        private RecurrentLayer ReadRecurrent(JsonNode? node, string at, string name, string kind, int[] shape, out int[] outputShape)
        {
            if (shape.Length != 2)
            {
                throw json.Error(at, $"is {kind} '{name}', which needs rows shaped [timesteps, features], but its input is [{string.Join(", ", shape)}] (input_shape, or the layers before it; a recurrent layer before it needs return_sequences).");
            }
            int units = (int)json.Integer(node, "units", at, 1, int.MaxValue);
            bool sequences = json.Bool(node, "return_sequences", at);
            int gates = kind switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
            bool resetAfter = kind == "GRU" && json.Bool(node, "reset_after", at);
            long width = (long)gates * units;
            long kernel = shape[1] * width, recurrent = units * width, outputs = sequences ? (long)shape[0] * units : units;
            if (kernel > Array.MaxLength || recurrent > Array.MaxLength || outputs > Array.MaxLength)
            {
                throw json.Error(at + ".units", string.Create(CultureInfo.InvariantCulture,
                    $"is {units}: layer '{name}''s kernels of {kernel} and {recurrent} weights or its {outputs} outputs per row are more than one array holds ({Array.MaxLength})."));
            }
            Count(at, kernel + recurrent + (resetAfter ? 2 : 1) * width);
            outputShape = sequences ? [shape[0], units] : [units];
            Activation activation = Resolve(json, at + ".activation", () => ActivationRegistry.Resolve(json.String(node, "activation", at)));
            Activation? gateActivation = kind == "SimpleRNN" ? null
                : Resolve(json, at + ".recurrent_activation", () => ActivationRegistry.Resolve(json.String(node, "recurrent_activation", at)));
            bool forgetBias = kind == "LSTM" && json.Bool(node, "unit_forget_bias", at);
            IInitializer kernelInitializer = Initializer(node, "kernel_initializer", at);
            IInitializer recurrentInitializer = Initializer(node, "recurrent_initializer", at);
            IInitializer biasInitializer = Initializer(node, "bias_initializer", at);
            return Resolve<RecurrentLayer>(json, at, () => kind switch
            {
                "LSTM" => new Lstm(units, sequences, activation, gateActivation, kernelInitializer, recurrentInitializer, biasInitializer, forgetBias, name),
                "GRU" => new Gru(units, sequences, activation, gateActivation, kernelInitializer, recurrentInitializer, biasInitializer, resetAfter, name),
                _ => new SimpleRnn(units, sequences, activation, kernelInitializer, recurrentInitializer, biasInitializer, name),
            });
        }

        /// <summary>Keras's output length along one axis (the layers' own rule, restated here because the reader sizes
        /// layers before building them): k_eff = (k − 1)·d + 1; a convolution gives ⌊(n − k_eff)/s⌋ + 1 ("valid",
        /// ≤ 0 when the window does not fit) or ⌈n/s⌉ ("same"); a transposed one n·s + max(k_eff − s, 0) ("valid") or
        /// n·s ("same").</summary>
        private static long ConvolutionLength(int length, int kernel, int stride, int dilation, bool same, bool transposed)
        {
            long effective = (long)(kernel - 1) * dilation + 1;
            if (transposed)
            {
                return (long)length * stride + (same ? 0 : Math.Max(effective - stride, 0));
            }
            return same ? ((long)length + stride - 1) / stride : length < effective ? 0 : (length - effective) / stride + 1;
        }

        /// <summary>Two whole numbers ≥ 1, [height, width].</summary>
        private int[] Pair(JsonNode? node, string key, string at)
        {
            JsonArray pair = json.Array(node, key, at, 2);
            if (pair.Count != 2)
            {
                throw json.Error(at + "." + key, string.Create(CultureInfo.InvariantCulture, $"has {pair.Count} entries; it is [height, width]."));
            }
            return [.. pair.Select((v, i) => (int)json.Integer(v, string.Create(CultureInfo.InvariantCulture, $"{at}.{key}[{i}]"), 1, int.MaxValue))];
        }

        /// <summary>The [height, width, channels] a 2-D layer needs, or an error naming the shape it would get.</summary>
        private (int Height, int Width, int Channels) Spatial(int[] shape, string at, string name, string kind) => shape.Length == 3
            ? (shape[0], shape[1], shape[2])
            : throw json.Error(at, $"is {kind} '{name}', which needs rows shaped [height, width, channels], but its input is [{string.Join(", ", shape)}] (input_shape, or the layers before it).");

        /// <summary>Values per row of <paramref name="shape"/> (the input shape's product was checked against an int;
        /// every layer's output is no larger than an array it allocates, checked where it is read).</summary>
        private static int Width(int[] shape)
        {
            long width = 1;
            foreach (int d in shape)
            {
                width *= d;
            }
            return (int)width;
        }

        private string ProjectionName(JsonObject shortcut, string at, string block)
        {
            string name = json.String(shortcut, "name", at + ".projection");
            if (!name.StartsWith(block + "/", StringComparison.Ordinal) || name.Length == block.Length + 1 || !_names.Add(name))
            {
                throw json.Error(at + ".projection.name", $"is '{name}'; the projection of block '{block}' is named '{block}/…', unlike any other layer.");
            }
            return name;
        }

        private IInitializer Initializer(JsonNode? node, string key, string at) =>
            Resolve(json, at + "." + key, () => InitializerJson.FromJson(json.Object(node, key, at)));

        private JsonNode? Field(JsonNode? node, string key, string at) =>
            (node as JsonObject)?[key] ?? throw json.Error(at + "." + key, "is missing.");

        private float Single(double value, string path) =>
            value is >= float.MinValue and <= float.MaxValue ? (float)value : throw json.Error(path, string.Create(CultureInfo.InvariantCulture, $"is {value}, beyond float32's range."));

        private void Count(string at, long floats)
        {
            try
            {
                Floats = checked(Floats + floats);
            }
            catch (OverflowException)
            {
                throw json.Error(at, "makes the weight count overflow a 64-bit integer.");
            }
        }
    }
}
