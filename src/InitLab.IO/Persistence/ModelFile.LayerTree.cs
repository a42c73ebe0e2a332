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
    /// <summary>The layer kinds a file may name, as <c>class_name</c>.</summary>
    private static readonly string[] LayerKinds = ["Activation", "BatchNormalization", "Dense", "LayerNormalization", "Residual", "ScalarBias"];

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
        _ => throw new NotSupportedException($"ModelFile: layer '{layer.Name}' is a {layer.KindName}, which the model file cannot store yet (it stores {string.Join(", ", LayerKinds)})."),
    };

    /// <summary>
    /// Reads the layer tree of an untrusted model.json without allocating any weight: every layer's configuration is
    /// checked, widths are followed from the input, and the floats the weights need (parameters and state) are counted
    /// with overflow checks, so the caller can compare them with weights.bin before building the network.
    /// </summary>
    private sealed class LayerTreeReader(StrictJson json, long version)
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        /// <summary>Floats of every tensor the layers read so far save.</summary>
        public long Floats { get; private set; }

        /// <summary>Reads the layers of <paramref name="nodes"/> (at <paramref name="path"/>) fed <paramref name="width"/>
        /// features; <paramref name="prefix"/> is the enclosing block's name and '/' (empty at the top).</summary>
        public List<Layer> ReadList(JsonArray nodes, string path, int width, string prefix, out int outputWidth)
        {
            var layers = new List<Layer>(nodes.Count);
            for (int i = 0; i < nodes.Count; i++)
            {
                Layer layer = Read(nodes[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), width, prefix, out width);
                layers.Add(layer);
            }
            outputWidth = width;
            return layers;
        }

        private Layer Read(JsonNode? node, string at, int width, string prefix, out int outputWidth)
        {
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
            if (version < 3 && kind != "Dense")
            {
                throw json.Error(at + ".class_name", string.Create(CultureInfo.InvariantCulture,
                    $"is '{kind}' (layer '{name}'), but a format-{version} file holds only Dense layers; other layers need format 3."));
            }
            outputWidth = width;
            switch (kind)
            {
                case "Dense":
                    Dense dense = ReadDense(node, at, name, width);
                    outputWidth = dense.Units;
                    return dense;
                case "BatchNormalization":
                    Count(at, 4L * width); // γ, β, moving mean, moving variance
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
                    return ReadResidual(node, at, name, width, out outputWidth);
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

        private Residual ReadResidual(JsonNode? node, string at, string name, int width, out int outputWidth)
        {
            float alpha = Single(json.Number(Field(node, "alpha", at), at + ".alpha"), at + ".alpha");
            bool trainable = json.Bool(node, "trainable_alpha", at);
            JsonArray nodes = json.Array(node, "layers", at, MaxLayers);
            if (nodes.Count == 0)
            {
                throw json.Error(at + ".layers", $"is empty; block '{name}' needs at least one layer in its branch.");
            }
            List<Layer> branch = ReadList(nodes, at + ".layers", width, name + "/", out outputWidth);
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
