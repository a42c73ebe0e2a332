using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using InitLab.Persistence;

namespace InitLab.Tests.TestUtilities;

/// <summary>Reads and rewrites the two entries of a model file, for tests that edit model.json by hand.</summary>
internal static class ModelFileEntries
{
    public static (string Json, byte[] Weights) Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry("model.json")!.Open());
        string json = reader.ReadToEnd();
        using var stream = zip.GetEntry("weights.bin")!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return (json, buffer.ToArray());
    }

    public static JsonNode Description(string path) => JsonNode.Parse(Read(path).Json)!;

    public static void Write(string path, string json, byte[] weights)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry("model.json").Open()))
        {
            writer.Write(json);
        }
        using var stream = zip.CreateEntry("weights.bin", CompressionLevel.NoCompression).Open();
        stream.Write(weights);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> with model.json edited by <paramref name="edit"/>.</summary>
    public static void Edit(string source, string target, Action<JsonNode> edit)
    {
        (string json, byte[] weights) = Read(source);
        JsonNode root = JsonNode.Parse(json)!;
        edit(root);
        Write(target, root.ToJsonString(), weights);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> with the model.json field at
    /// <paramref name="path"/> (e.g. <c>input_shape</c> or <c>layers[3].pool_size</c>) set to the JSON value
    /// <paramref name="json"/>: the one edit the "refused naming the field" tests make.</summary>
    public static void SetField(string source, string target, string path, string json) => Edit(source, target, root =>
    {
        JsonNode parent = root;
        string[] parts = path.Split('.');
        foreach (string part in parts[..^1])
        {
            parent = part.EndsWith(']') ? parent[part[..part.IndexOf('[')]]![int.Parse(part[(part.IndexOf('[') + 1)..^1], CultureInfo.InvariantCulture)]! : parent[part]!;
        }
        parent[parts[^1]] = JsonNode.Parse(json);
    });

    /// <summary>Loads <paramref name="path"/>, which must be refused, and says how many bytes the loader allocated on
    /// this thread before refusing (hostile sizes must be caught before anything that large is allocated).</summary>
    public static (ModelFormatException Error, long Allocated) LoadRefused(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(path));
        return (ex, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
