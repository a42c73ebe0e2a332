using System.Globalization;
using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Training;
using Xunit.Abstractions;

namespace InitLab.Tests.Fuzzing;

/// <summary>
/// Issue 9 §5 for model files: a saved model's zip bytes mutated, or its model.json text mutated and re-zipped with the
/// original weights. Only <see cref="ModelFormatException"/> may escape <see cref="ModelFile.Load"/>, and nothing is
/// written. Allocation is bounded by 4 MiB plus 64 B per byte of the file and of its uncompressed entries.
/// </summary>
public sealed class ModelFileFuzzTests : IDisposable
{
    private readonly ReaderHarness _harness = new();
    private readonly ITestOutputHelper _output;

    public ModelFileFuzzTests(ITestOutputHelper output) => _output = output;

    private static (byte[] Zip, string Json, byte[] Weights) Seed { get; } = MakeSeed();

    [Property(MaxTest = 300, Replay = "(20261129,97)")]
    public Property ModelZip_MutatedBytes_OnlyModelFormatExceptionNothingWritten() =>
        Prop.ForAll(Mutation.Binary().ToArbitrary(), m =>
        {
            byte[] zip = Mutation.ApplyAll(Seed.Zip, m);
            Check(zip, () => "zip bytes: " + string.Join("; ", m));
        });

    [Property(MaxTest = 300, Replay = "(20261129,99)")]
    public Property ModelJson_MutatedText_OnlyModelFormatExceptionNothingWritten() =>
        Prop.ForAll(Mutation.Text().ToArbitrary(), m =>
        {
            byte[] json = Mutation.ApplyAll(Encoding.UTF8.GetBytes(Seed.Json), m);
            Check(Zip(json, Seed.Weights), () => "model.json: " + string.Join("; ", m));
        });

    public void Dispose()
    {
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_harness.Cases} cases, {_harness.Rejected} rejected with the documented exception, largest allocation {_harness.MaxAllocated} bytes"));
        _harness.Dispose();
    }

    private void Check(byte[] zip, Func<string> describe) =>
        _harness.Check(new Dictionary<string, byte[]> { ["m.model"] = zip }, dir => ModelFile.Load(Path.Combine(dir, "m.model")),
            typeof(ModelFormatException), (4 << 20) + 64L * (zip.Length + Seed.Json.Length + Seed.Weights.Length), describe);

    private static (byte[], string, byte[]) MakeSeed()
    {
        string path = Path.Combine(Path.GetTempPath(), "initlab-fuzz-seed-" + Guid.NewGuid().ToString("N") + ".model");
        try
        {
            ModelFile.Save(new Sequential(3, [new Dense(4, "relu"), new Dense(2, "softmax")], seed: 5), path);
            byte[] zip = File.ReadAllBytes(path);
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            using var reader = new StreamReader(archive.GetEntry("model.json")!.Open());
            string json = reader.ReadToEnd();
            using var weights = new MemoryStream();
            archive.GetEntry("weights.bin")!.Open().CopyTo(weights);
            return (zip, json, weights.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Zip(byte[] json, byte[] weights)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var entry = archive.CreateEntry("model.json").Open())
            {
                entry.Write(json);
            }
            using var bin = archive.CreateEntry("weights.bin", CompressionLevel.NoCompression).Open();
            bin.Write(weights);
        }
        return buffer.ToArray();
    }
}
