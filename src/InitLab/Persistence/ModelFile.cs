using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Persistence;

/// <summary>
/// Saves and loads a <see cref="Sequential"/>: a zip holding <c>model.json</c> (architecture, initializer configs, and
/// the SHA-256 of the weights) and <c>weights.bin</c> (little-endian float32 tensors in parameter order). A load
/// rebuilds the model, verifies the checksum and only then copies the weights: a truncated or corrupted file raises
/// <see cref="ModelFormatException"/>, never a half-loaded model. Predictions after a load are bit-identical.
/// </summary>
public static class ModelFile
{
    private const string Format = "initlab-model";
    private const int Version = 1;

    /// <summary>Writes the model to <paramref name="path"/> (replacing it only after the whole file was written).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">Destination file.</param>
    public static void Save(Sequential model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        byte[] weights = WeightBytes(model);
        var tensors = new JsonArray();
        foreach (var p in model.Parameters)
        {
            tensors.Add(new JsonObject { ["name"] = p.Name, ["length"] = p.Value.Length });
        }
        var layers = new JsonArray();
        foreach (Dense layer in model.Layers)
        {
            layers.Add(new JsonObject
            {
                ["name"] = layer.Name,
                ["units"] = layer.Units,
                ["activation"] = layer.Activation.Name,
                ["use_bias"] = layer.UseBias,
                ["kernel_initializer"] = InitializerJson.ToJson(layer.KernelInitializer),
                ["bias_initializer"] = InitializerJson.ToJson(layer.BiasInitializer),
            });
        }
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["input_dim"] = model.InputDim,
            ["seed"] = model.Seed.ToString(CultureInfo.InvariantCulture),
            ["layers"] = layers,
            ["weights"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(weights)), ["bytes"] = weights.Length, ["tensors"] = tensors },
        };
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (var writer = new StreamWriter(zip.CreateEntry("model.json").Open()))
            {
                writer.Write(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            using var weightStream = zip.CreateEntry("weights.bin", CompressionLevel.NoCompression).Open();
            weightStream.Write(weights);
        });
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model with the saved weights.</returns>
    /// <exception cref="ModelFormatException">The file is truncated, corrupted, or not an InitLab model.</exception>
    public static Sequential Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Path.GetFileName(path);
        JsonNode root;
        byte[] weights;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            ZipArchiveEntry json = zip.GetEntry("model.json") ?? throw new ModelFormatException($"{file}: no model.json inside; not an InitLab model file.");
            ZipArchiveEntry bin = zip.GetEntry("weights.bin") ?? throw new ModelFormatException($"{file}: no weights.bin inside; not an InitLab model file.");
            using (var reader = new StreamReader(json.Open()))
            {
                root = JsonNode.Parse(reader.ReadToEnd()) ?? throw new ModelFormatException($"{file}: model.json is empty.");
            }
            using var weightStream = bin.Open();
            using var buffer = new MemoryStream();
            weightStream.CopyTo(buffer);
            weights = buffer.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw new ModelFormatException($"{file}: the model file is truncated or corrupted ({ex.Message}).", ex);
        }
        try
        {
            if ((string?)root["format"] != Format || (int?)root["version"] != Version)
            {
                throw new ModelFormatException($"{file}: format '{root["format"]}' version {root["version"]} is not {Format} version {Version}.");
            }
            string expected = (string?)root["weights"]?["sha256"] ?? string.Empty;
            string actual = Convert.ToHexStringLower(SHA256.HashData(weights));
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                throw new ModelFormatException($"{file}: weights checksum mismatch (expected {expected}, got {actual}); the file is corrupted. Nothing was loaded.");
            }
            var layers = new List<Dense>();
            foreach (JsonNode? node in root["layers"]!.AsArray())
            {
                var layer = new Dense(
                    (int)node!["units"]!,
                    ActivationRegistry.Resolve((string)node["activation"]!),
                    InitializerJson.FromJson(node["kernel_initializer"]!),
                    InitializerJson.FromJson(node["bias_initializer"]!),
                    (bool)node["use_bias"]!,
                    (string?)node["name"]);
                layers.Add(layer);
            }
            ulong seed = ulong.Parse((string)root["seed"]!, CultureInfo.InvariantCulture);
            var model = new Sequential((int)root["input_dim"]!, layers, seed);
            long needed = model.Parameters.Sum(p => (long)p.Value.Length) * 4;
            if (needed != weights.Length)
            {
                throw new ModelFormatException($"{file}: the architecture needs {needed} weight bytes, weights.bin has {weights.Length}.");
            }
            int offset = 0;
            foreach (var p in model.Parameters)
            {
                for (int i = 0; i < p.Value.Length; i++, offset += 4)
                {
                    p.Value[i] = BinaryPrimitives.ReadSingleLittleEndian(weights.AsSpan(offset));
                }
            }
            // The weights are the saved ones, not a fresh draw: a later Fit must not LSUV-rescale them.
            model.LsuvPending = false;
            return model;
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException or ArgumentException or JsonException)
        {
            throw new ModelFormatException($"{file}: model.json is not a valid InitLab model description ({ex.Message}).", ex);
        }
    }

    /// <summary>Writes every weight tensor as float32 .npy into <paramref name="folder"/>: <c>dense_0.kernel.npy</c>
    /// (shape (in, out), Keras layout), <c>dense_0.bias.npy</c> (shape (out,)), …</summary>
    /// <param name="model">The model.</param>
    /// <param name="folder">Destination folder (created if missing).</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> ExportNpy(Sequential model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (Dense layer in model.Layers)
        {
            string kernel = Path.Combine(folder, $"{layer.Name}.kernel.npy");
            NpyWriter.Write(kernel, layer.Kernel, [layer.InputDim, layer.Units]);
            files.Add(kernel);
            if (layer.UseBias)
            {
                string bias = Path.Combine(folder, $"{layer.Name}.bias.npy");
                NpyWriter.Write(bias, layer.Bias, [layer.Units]);
                files.Add(bias);
            }
        }
        return files;
    }

    private static byte[] WeightBytes(Sequential model)
    {
        var bytes = new byte[model.Parameters.Sum(p => (long)p.Value.Length) * 4];
        int offset = 0;
        foreach (var p in model.Parameters)
        {
            foreach (float v in p.Value)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), v);
                offset += 4;
            }
        }
        return bytes;
    }
}
