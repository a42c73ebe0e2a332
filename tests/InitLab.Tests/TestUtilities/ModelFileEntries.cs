using System.IO.Compression;
using System.Text.Json.Nodes;

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
}
