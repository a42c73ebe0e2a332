using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InitLab.Activations;
using InitLab.Common;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Models;
using InitLab.Optimizers;
using InitLab.Training;

namespace InitLab.Persistence;

/// <summary>
/// Saves and loads a <see cref="TrainedModel"/> (or a bare <see cref="Sequential"/>): a zip holding <c>model.json</c>
/// (architecture, initializer configs, loss, task, feature names, fitted feature scaler, class labels or target scaler,
/// provenance, and the SHA-256 of the weights) and <c>weights.bin</c> (little-endian float32 tensors in the order
/// <see cref="ModelTensors"/> defines: layer by layer, parameters then state such as batch normalization's running
/// statistics).
/// <para>Format 3 stores any layer tree: each layer carries its Keras <c>class_name</c> and configuration (Dense;
/// BatchNormalization with momentum, epsilon, gamma/beta initializers; LayerNormalization; Residual with alpha,
/// trainable_alpha, projection and its branch's layers; Activation; ScalarBias), and <c>weights.tensors</c> names
/// every tensor (<c>residual_1/dense_0/kernel</c>, <c>batch_normalization_2/moving_mean</c>) with its length.</para>
/// <para>Format 4 adds the layers of images and sequences (Conv2D, Conv2DTranspose, Flatten, MaxPooling2D,
/// AveragePooling2D, GlobalAveragePooling2D, Dropout, SimpleRNN, LSTM, GRU; see <see cref="LayerKindsSince"/>; a convolution's kernel is saved
/// in Keras's (kh, kw, in/groups, filters) layout, a BatchNormalization on shaped rows has one γ, β and running statistic per
/// channel) and <c>input_shape</c>, the shape of one input row (e.g. [8, 8, 1],
/// channels-last; <c>input_dim</c> stays beside it as its product). A file is written in the oldest format that holds
/// the model, so older versions still read what they can: a plain Dense stack on flat rows as format 2, a tree of
/// format-3 layers on flat rows as format 3, anything else as format 4 (an older reader then refuses it by its version
/// instead of misreading it). Formats 3, 2 and 1 load with the input shape [input_dim]; format 1 (architecture and
/// weights only) with a warning that it stored no preprocessing.</para>
/// <para>The loader treats the file as untrusted: model.json may not expand beyond <see cref="MaxDescriptionBytes"/>;
/// every size is checked with <c>checked</c> arithmetic and must equal weights.bin's length, which may not exceed what its
/// compressed bytes can hold, before anything is allocated; weights are streamed, hashed and copied without running any
/// initializer. Any defect raises <see cref="ModelFormatException"/>, never a half-loaded model.</para>
/// </summary>
public static partial class ModelFile
{
    /// <summary>The largest model.json accepted (16 MiB; a 10-layer model's description is about 5 KB, a provenance
    /// and a 784-feature scaler add about 40 KB).</summary>
    public const long MaxDescriptionBytes = 16L << 20;

    private const string Format = "initlab-model";
    private const int Version = 4;

    /// <summary>The format a plain Dense stack on flat rows is written in (readable by versions before format 3).</summary>
    private const int PlainStackVersion = 2;

    /// <summary>The format a tree of issue-21 layers on flat rows is written in (readable by versions before format 4).</summary>
    private const int LayerTreeVersion = 3;

    /// <summary>The most dimensions an input row may have (an image's height, width and channels is 3).</summary>
    private const int MaxInputRank = 8;
    private const int MaxLayers = 10_000;
    private const int MaxNames = 1 << 20;

    // Deflate cannot expand data by more than 1032:1 (a 258-byte match per 2 bits, RFC 1951), so an entry whose declared
    // size exceeds that multiple of its compressed size (itself bounded by the file) is corrupt or hostile.
    private const long MaxDeflateRatio = 1032;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes a trained model with its preprocessing (replacing <paramref name="path"/> only after the whole
    /// file was written).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">Destination file.</param>
    public static void Save(TrainedModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        byte[] weights = WeightBytes(model.Network);
        JsonObject root = Describe(model.Network, model.Network.Loss!, weights);
        root["task"] = model.Task == ModelTask.Regression ? "regression" : "classification";
        root["features"] = new JsonObject
        {
            ["names"] = Strings(model.FeatureNames),
            ["scaler"] = model.FeatureScaler is Scaler s
                ? new JsonObject { ["kind"] = s.Kind, ["offset"] = Numbers(s.Offset), ["scale"] = Numbers(s.Scale) }
                : null,
        };
        root["label"] = new JsonObject
        {
            ["name"] = model.LabelName,
            ["classes"] = Strings(model.ClassLabels),
            ["target_scaler"] = model.TargetScaler is TargetScaler t
                ? new JsonObject { ["kind"] = "standard", ["mean"] = Numbers(t.Mean), ["std"] = Numbers(t.StdDev) }
                : null,
        };
        var training = new JsonObject();
        foreach (var pair in model.Provenance.Training.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            training[pair.Key] = pair.Value;
        }
        root["provenance"] = new JsonObject
        {
            ["created_by"] = model.Provenance.CreatedBy,
            ["training"] = training,
            ["metrics"] = new JsonObject
            {
                ["train"] = Metrics(model.Provenance.TrainMetrics),
                ["test"] = Metrics(model.Provenance.TestMetrics),
            },
        };
        Write(root, weights, path);
    }

    /// <summary>Writes a bare network (no preprocessing: features x0, x1, … go in unscaled; its loss, or one chosen from
    /// the output activation, is recorded).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">Destination file.</param>
    public static void Save(Sequential model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        Loss loss = model.Loss ?? TrainedModel.DefaultLoss(model);
        bool classification = loss is BinaryCrossEntropy or CategoricalCrossEntropy;
        byte[] weights = WeightBytes(model);
        JsonObject root = Describe(model, loss, weights);
        root["task"] = classification ? "classification" : "regression";
        int classes = model.OutputDim == 1 ? 2 : model.OutputDim;
        root["features"] = new JsonObject
        {
            ["names"] = Strings([.. Enumerable.Range(0, model.InputDim).Select(i => string.Create(CultureInfo.InvariantCulture, $"x{i}"))]),
            ["scaler"] = null,
        };
        root["label"] = new JsonObject
        {
            ["name"] = "label",
            ["classes"] = Strings(classification ? [.. Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture))] : []),
            ["target_scaler"] = null,
        };
        Write(root, weights, path);
    }

    /// <summary>Reads the network of a model file (format 1 or 2), compiled with its recorded loss. The network alone
    /// expects scaled inputs (and a regression network predicts standardised targets): use
    /// <see cref="LoadTrainedModel"/> to predict from raw rows.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The network with the saved weights.</returns>
    /// <exception cref="ModelFormatException">The file is truncated, corrupted, oversized, or not an InitLab model.</exception>
    public static Sequential Load(string path) => LoadTrainedModel(path).Network;

    /// <summary>Reads a model file with its preprocessing. A format-1 file gives a model without preprocessing and a
    /// warning in <see cref="TrainedModel.Warnings"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The file is truncated, corrupted, oversized, or not an InitLab model.</exception>
    public static TrainedModel LoadTrainedModel(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Path.GetFileName(path);
        try
        {
            // The length of the stream actually opened: FileInfo on a symbolic link gives the link's own length.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long fileLength = stream.Length;
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            ZipArchiveEntry jsonEntry = zip.GetEntry("model.json") ?? throw new ModelFormatException($"{file}: no model.json inside; not an InitLab model file.");
            ZipArchiveEntry binEntry = zip.GetEntry("weights.bin") ?? throw new ModelFormatException($"{file}: no weights.bin inside; not an InitLab model file.");
            JsonNode root = ReadDescription(jsonEntry, file);
            var json = new StrictJson(file);
            long version = json.Integer(root, "version", string.Empty, 1, Version);
            if (json.String(root, "format", string.Empty) != Format)
            {
                throw new ModelFormatException($"{file}: model.json names format '{root["format"]}', not '{Format}'; not an InitLab model file.");
            }
            (List<Layer> layers, int[] inputShape, long weightBytes) = ReadArchitecture(json, root, version);
            CheckWeightEntry(json, root, binEntry, weightBytes, fileLength);
            string seedText = json.String(root, "seed", string.Empty);
            if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            {
                throw json.Error("seed", $"must be a whole number in 0..{ulong.MaxValue} written as text, got '{seedText}'.");
            }
            Sequential network = Build(json, inputShape, layers, seed, weightBytes);
            List<ModelTensor> tensors = ModelTensors.Of(network, WeightLayout.Keras);
            if (version >= 3)
            {
                CheckTensorList(json, root, tensors);
            }
            ReadWeights(binEntry, tensors, weightBytes, json.String(json.Object(root, "weights", string.Empty), "sha256", "weights"), file);
            return version == 1 ? LegacyModel(network, file) : ReadPreprocessing(json, root, network);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or EndOfStreamException or DecoderFallbackException
            or InvalidOperationException { InnerException: DecoderFallbackException } or IOException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new ModelFormatException($"{file}: the model file is truncated or corrupted ({ex.Message}).", ex);
        }
    }

    /// <summary>Writes every tensor as float32 .npy into <paramref name="folder"/>, named as in a Keras-layout .npz
    /// (<see cref="WeightArrays"/>): <c>dense_0.kernel.npy</c> (shape (in, out)), <c>dense_0.bias.npy</c> (shape (out,)),
    /// <c>residual_1.dense_0.kernel.npy</c>, <c>batch_normalization_2.moving_mean.npy</c>, …</summary>
    /// <param name="model">The model.</param>
    /// <param name="folder">Destination folder (created if missing).</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> ExportNpy(Sequential model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (ModelTensor tensor in ModelTensors.Of(model, WeightLayout.Keras))
        {
            string file = Path.Combine(folder, tensor.ArrayName + ".npy");
            NpyWriter.Write(file, tensor.Values, tensor.Shape);
            files.Add(file);
        }
        return files;
    }

    private static JsonObject Describe(Sequential model, Loss loss, byte[] weights)
    {
        var tensors = new JsonArray();
        foreach (ModelTensor tensor in ModelTensors.Of(model, WeightLayout.Keras))
        {
            tensors.Add(new JsonObject { ["name"] = tensor.Path, ["length"] = tensor.Values.Length });
        }
        var layers = new JsonArray([.. model.Layers.Select(l => (JsonNode)DescribeLayer(l))]);
        int version = FormatFor(model);
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = version,
            ["input_dim"] = model.InputDim,
        };
        if (version >= 4)
        {
            root["input_shape"] = new JsonArray([.. model.InputShape.Select(d => (JsonNode)d)]);
        }
        root["seed"] = model.Seed.ToString(CultureInfo.InvariantCulture);
        root["layers"] = layers;
        root["loss"] = loss.Name;
        root["output_activation"] = NetworkHead.OutputActivation(model).Name;
        root["weights"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(weights)), ["bytes"] = weights.Length, ["tensors"] = tensors };
        return root;
    }

    /// <summary>The oldest format that holds <paramref name="model"/> (see the class remarks).</summary>
    private static int FormatFor(Sequential model)
    {
        if (model.InputShape.Count != 1 || model.AllLayers.Any(l => FormatOf(l.KindName) > LayerTreeVersion))
        {
            return Version;
        }
        return model.IsPlainDenseStack ? PlainStackVersion : LayerTreeVersion;
    }

    private static void Write(JsonObject root, byte[] weights, string path) => AtomicFile.Write(path, stream =>
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var writer = new StreamWriter(zip.CreateEntry("model.json").Open(), new UTF8Encoding(false)))
        {
            writer.Write(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        using var weightStream = zip.CreateEntry("weights.bin", CompressionLevel.NoCompression).Open();
        weightStream.Write(weights);
    });

    private static JsonNode ReadDescription(ZipArchiveEntry entry, string file)
    {
        if (entry.Length > MaxDescriptionBytes)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{file}: model.json declares {entry.Length} bytes; a model description is at most {MaxDescriptionBytes} bytes. Nothing was loaded."));
        }
        // The declared size may lie: read at most one byte past the limit, whatever the header says.
        using Stream stream = entry.Open();
        var buffer = new byte[(int)Math.Min(entry.Length, MaxDescriptionBytes) + 1];
        int total = 0, read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }
        if (total > entry.Length || total > MaxDescriptionBytes)
        {
            throw new ModelFormatException($"{file}: model.json expands beyond its declared {entry.Length} bytes; the file is corrupted. Nothing was loaded.");
        }
        // Strict: invalid UTF-8 and a key given twice are errors here, at parse time (System.Text.Json would otherwise
        // accept both and fail later, on first access, with exceptions the loader does not document).
        _ = StrictUtf8.GetCharCount(buffer, 0, total);
        return JsonNode.Parse(buffer.AsSpan(0, total), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })
            ?? throw new ModelFormatException($"{file}: model.json is empty.");
    }

    private static (List<Layer> Layers, int[] InputShape, long WeightBytes) ReadArchitecture(StrictJson json, JsonNode root, long version)
    {
        int inputDim = (int)json.Integer(root, "input_dim", string.Empty, 1, int.MaxValue);
        int[] inputShape = version >= 4 ? ReadInputShape(json, root, inputDim) : [inputDim];
        JsonArray nodes = json.Array(root, "layers", string.Empty, MaxLayers);
        if (nodes.Count == 0)
        {
            throw json.Error("layers", "is empty; a model has at least one layer.");
        }
        var reader = new LayerTreeReader(json, version);
        List<Layer> layers = reader.ReadList(nodes, "layers", inputShape, string.Empty, out _);
        long bytes;
        try
        {
            bytes = checked(reader.Floats * sizeof(float));
        }
        catch (OverflowException)
        {
            throw json.Error("layers", "declare more weights than a 64-bit byte count holds.");
        }
        return (layers, inputShape, bytes);
    }

    /// <summary>Format 4's <c>input_shape</c>: 1 to <see cref="MaxInputRank"/> dimensions, each ≥ 1, whose product is
    /// <c>input_dim</c> (checked without overflow).</summary>
    private static int[] ReadInputShape(StrictJson json, JsonNode root, int inputDim)
    {
        JsonArray dims = json.Array(root, "input_shape", string.Empty, MaxInputRank);
        if (dims.Count == 0)
        {
            throw json.Error("input_shape", "is empty; give the shape of one input row, e.g. [8, 8, 1] (height, width, channels) or [input_dim].");
        }
        var shape = new int[dims.Count];
        long product = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = (int)json.Integer(dims[i], string.Create(CultureInfo.InvariantCulture, $"input_shape[{i}]"), 1, int.MaxValue);
            product = Math.Min(product * shape[i], (long)int.MaxValue + 1);
        }
        if (product != inputDim)
        {
            throw json.Error("input_shape", string.Create(CultureInfo.InvariantCulture,
                $"is [{string.Join(", ", shape)}], {(product > int.MaxValue ? "more than an int holds" : product.ToString(CultureInfo.InvariantCulture))} values per row, but input_dim is {inputDim}; the two must agree."));
        }
        return shape;
    }

    /// <summary>Builds the network with zero weights (sizes already checked against weights.bin). A fixed α is not a
    /// saved tensor: it is the block's configured value.</summary>
    private static Sequential Build(StrictJson json, int[] inputShape, List<Layer> layers, ulong seed, long weightBytes)
    {
        Sequential network;
        try
        {
            network = Sequential.Uninitialized(inputShape, layers, seed);
        }
        catch (ArgumentException ex)
        {
            throw json.Error("layers", $"do not make a network: {PlainMessage(ex)}");
        }
        foreach (Residual block in network.AllLayers.OfType<Residual>().Where(b => !b.TrainableAlpha))
        {
            block.Alpha = block.InitialAlpha;
        }
        long floats = ModelTensors.FloatCount(network);
        if (floats * sizeof(float) != weightBytes)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{json.File}: the layers were counted as {weightBytes} weight bytes but the network built from them holds {floats * sizeof(float)}; the description is inconsistent. Nothing was loaded."));
        }
        return network;
    }

    /// <summary>Format 3 lists every tensor by name and length; they must be the network's, in order, so a file whose
    /// description and weights disagree (edited by hand, or written by another tool) is refused by name.</summary>
    private static void CheckTensorList(StrictJson json, JsonNode root, List<ModelTensor> tensors)
    {
        JsonArray listed = json.Array(json.Object(root, "weights", string.Empty), "tensors", "weights", tensors.Count + 1);
        if (listed.Count != tensors.Count)
        {
            throw json.Error("weights.tensors", string.Create(CultureInfo.InvariantCulture,
                $"lists {listed.Count} tensors; the layers have {tensors.Count} ({string.Join(", ", tensors.Take(8).Select(t => t.Path))}{(tensors.Count > 8 ? ", …" : string.Empty)})."));
        }
        for (int i = 0; i < tensors.Count; i++)
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"weights.tensors[{i}]");
            string name = json.String(listed[i], "name", at);
            long length = json.Integer(listed[i], "length", at, 0, Array.MaxLength);
            if (name != tensors[i].Path || length != tensors[i].Values.Length)
            {
                throw json.Error(at, string.Create(CultureInfo.InvariantCulture,
                    $"is '{name}' of {length} values; the layers' tensor {i} is '{tensors[i].Path}' of {tensors[i].Values.Length}."));
            }
        }
    }

    private static T Resolve<T>(StrictJson json, string path, Func<T> resolve)
    {
        try
        {
            return resolve();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw json.Error(path, $"is not valid: {PlainMessage(ex)}");
        }
    }

    private static void CheckWeightEntry(StrictJson json, JsonNode root, ZipArchiveEntry entry, long needed, long fileLength)
    {
        long declared = json.Integer(json.Object(root, "weights", string.Empty), "bytes", "weights", 0, long.MaxValue);
        if (declared != needed || entry.Length != needed)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{json.File}: the architecture needs {needed} weight bytes, model.json declares {declared} and weights.bin holds {entry.Length}. Nothing was loaded."));
        }
        if (entry.CompressedLength > fileLength || needed > checked(entry.CompressedLength * MaxDeflateRatio + 1024))
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{json.File}: weights.bin claims {needed} bytes from {entry.CompressedLength} compressed bytes in a {fileLength}-byte file, more than any zip can hold. Nothing was loaded."));
        }
    }

    private static void ReadWeights(ZipArchiveEntry entry, List<ModelTensor> tensors, long needed, string expectedHash, string file)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using Stream stream = entry.Open();
        var chunk = new byte[1 << 16];
        foreach (ModelTensor tensor in tensors)
        {
            float[] values = tensor.Values;
            for (int start = 0; start < values.Length; start += chunk.Length / sizeof(float))
            {
                int count = Math.Min(chunk.Length / sizeof(float), values.Length - start);
                Span<byte> bytes = chunk.AsSpan(0, count * sizeof(float));
                stream.ReadExactly(bytes);
                hash.AppendData(bytes);
                for (int i = 0; i < count; i++)
                {
                    values[start + i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
                }
            }
        }
        if (stream.Read(chunk, 0, 1) != 0)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture, $"{file}: weights.bin is longer than the {needed} bytes the architecture needs. Nothing was loaded."));
        }
        string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(expectedHash, actual, StringComparison.Ordinal))
        {
            throw new ModelFormatException($"{file}: weights checksum mismatch (expected {expectedHash}, got {actual}); the file is corrupted. Nothing was loaded.");
        }
    }

    private static TrainedModel LegacyModel(Sequential network, string file)
    {
        TrainedModel model = TrainedModel.FromNetwork(network);
        return new TrainedModel(network, model.Task, model.FeatureNames, null, model.ClassLabels, null, model.LabelName)
        {
            Warnings = [$"{file} is a format-1 model file: it stores no feature scaling, class labels or feature names. Columns are taken in order and unscaled, classes are numbered 0, 1, …; retrain and save with this version to keep the preprocessing."],
            FeaturesByPosition = true,
        };
    }

    private static TrainedModel ReadPreprocessing(StrictJson json, JsonNode root, Sequential network)
    {
        string lossName = json.String(root, "loss", string.Empty);
        Loss loss = Resolve(json, "loss", () => LossRegistry.Resolve(lossName));
        string outputActivation = json.String(root, "output_activation", string.Empty);
        string head = NetworkHead.OutputActivation(network).Name;
        if (outputActivation != head)
        {
            throw json.Error("output_activation", $"is '{outputActivation}' but the last layer's activation is '{head}'.");
        }
        network.Compile(loss, new Sgd());
        string taskText = json.String(root, "task", string.Empty);
        ModelTask task = taskText switch
        {
            "classification" => ModelTask.Classification,
            "regression" => ModelTask.Regression,
            _ => throw json.Error("task", $"must be classification or regression, got '{taskText}'."),
        };
        JsonObject features = json.Object(root, "features", string.Empty);
        string[] names = json.Strings(features, "names", "features", network.InputDim);
        Scaler? scaler = null;
        if (json.OptionalObject(features, "scaler", "features") is JsonObject s)
        {
            string kind = json.String(s, "kind", "features.scaler");
            double[] offset = json.Numbers(s, "offset", "features.scaler", network.InputDim);
            double[] scale = json.Numbers(s, "scale", "features.scaler", network.InputDim);
            scaler = Resolve(json, "features.scaler", () => Scaler.Create(kind, offset, scale));
        }
        JsonObject label = json.Object(root, "label", string.Empty);
        string labelName = json.String(label, "name", "label");
        string[] classes = json.Strings(label, "classes", "label", MaxNames);
        TargetScaler? targetScaler = null;
        if (json.OptionalObject(label, "target_scaler", "label") is JsonObject t)
        {
            double[] mean = json.Numbers(t, "mean", "label.target_scaler", network.OutputDim);
            double[] std = json.Numbers(t, "std", "label.target_scaler", network.OutputDim);
            targetScaler = Resolve(json, "label.target_scaler", () => TargetScaler.Create(mean, std));
        }
        CheckTaskFitsNetwork(json, task, loss, classes, network);
        ModelProvenance provenance = ReadProvenance(json, json.OptionalObject(root, "provenance", string.Empty));
        try
        {
            return new TrainedModel(network, task, names, scaler, classes, targetScaler, labelName) { Provenance = provenance };
        }
        catch (ArgumentException ex)
        {
            string path = ex.ParamName switch
            {
                "classLabels" => "label.classes",
                "targetScaler" => "label.target_scaler",
                "featureScaler" => "features.scaler",
                _ => "features.names",
            };
            throw json.Error(path, $"is not valid: {PlainMessage(ex).Replace("TrainedModel: ", string.Empty, StringComparison.Ordinal)}");
        }
    }

    /// <summary>The task must agree with the loss the network was trained with and with the label's classes: a file
    /// edited (or written by another tool) to say "regression" over a softmax classifier would otherwise load and fail
    /// much later with a shape error. The loss is the authority, not the head's activation: a regression network may
    /// legitimately end in sigmoid (<c>--output-activation sigmoid</c>), and a classifier in linear logits.</summary>
    private static void CheckTaskFitsNetwork(StrictJson json, ModelTask task, Loss loss, string[] classes, Sequential network)
    {
        int outputs = network.OutputDim;
        string head = string.Create(CultureInfo.InvariantCulture, $"the last layer is {outputs} {NetworkHead.OutputActivation(network).Name} unit{(outputs == 1 ? string.Empty : "s")} trained with {loss.Name}");
        bool crossEntropy = loss is BinaryCrossEntropy or CategoricalCrossEntropy;
        if (task == ModelTask.Regression && (crossEntropy || classes.Length > 0))
        {
            throw json.Error("task", string.Create(CultureInfo.InvariantCulture,
                $"says regression, but {head}{(classes.Length > 0 ? $" and label.classes lists {classes.Length} classes" : string.Empty)}: that is a classifier."));
        }
        if (task == ModelTask.Classification)
        {
            if (!crossEntropy)
            {
                throw json.Error("task", $"says classification, but {head}, a regression loss.");
            }
            int expected = outputs == 1 ? 2 : outputs;
            if (classes.Length != expected)
            {
                throw json.Error("label.classes", string.Create(CultureInfo.InvariantCulture,
                    $"lists {classes.Length} classes, but {head}, which separates {expected} (one class per output unit; 2 for a single sigmoid unit)."));
            }
        }
    }

    /// <summary>An exception's message without .NET's " (Parameter 'x')" tail, which names a C# parameter, not a field of the file.</summary>
    private static string PlainMessage(Exception ex) =>
        ex is ArgumentException { ParamName: string name } ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;

    private static ModelProvenance ReadProvenance(StrictJson json, JsonObject? node)
    {
        if (node is null)
        {
            return new ModelProvenance();
        }
        var training = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (json.OptionalObject(node, "training", "provenance") is JsonObject settings)
        {
            foreach (var pair in settings)
            {
                training[pair.Key] = json.String(pair.Value, "provenance.training." + pair.Key);
            }
        }
        JsonObject? metrics = json.OptionalObject(node, "metrics", "provenance");
        return new ModelProvenance
        {
            CreatedBy = json.String(node, "created_by", "provenance"),
            Training = training,
            TrainMetrics = ReadMetrics(json, json.OptionalObject(metrics, "train", "provenance.metrics"), "provenance.metrics.train"),
            TestMetrics = ReadMetrics(json, json.OptionalObject(metrics, "test", "provenance.metrics"), "provenance.metrics.test"),
        };
    }

    private static ModelEvaluation? ReadMetrics(StrictJson json, JsonObject? node, string path) => node is null ? null : new ModelEvaluation(
        (int)json.Integer(node, "rows", path, 0, int.MaxValue),
        json.Number(node["loss"], path + ".loss", nullIsNaN: true),
        json.Number(node["accuracy"], path + ".accuracy", nullIsNaN: true),
        json.Number(node["rmse"], path + ".rmse", nullIsNaN: true),
        json.Number(node["mae"], path + ".mae", nullIsNaN: true),
        json.Number(node["r2"], path + ".r2", nullIsNaN: true));

    private static JsonObject? Metrics(ModelEvaluation? metrics) => metrics is null ? null : new JsonObject
    {
        ["rows"] = metrics.Rows,
        ["loss"] = Number(metrics.Loss),
        ["accuracy"] = Number(metrics.Accuracy),
        ["rmse"] = Number(metrics.Rmse),
        ["mae"] = Number(metrics.Mae),
        ["r2"] = Number(metrics.R2),
    };

    private static JsonValue? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    private static byte[] WeightBytes(Sequential model)
    {
        List<ModelTensor> tensors = ModelTensors.Of(model, WeightLayout.Keras);
        var bytes = new byte[checked(tensors.Sum(t => (long)t.Values.Length) * 4)];
        int offset = 0;
        foreach (ModelTensor tensor in tensors)
        {
            foreach (float v in tensor.Values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), v);
                offset += 4;
            }
        }
        return bytes;
    }
}
