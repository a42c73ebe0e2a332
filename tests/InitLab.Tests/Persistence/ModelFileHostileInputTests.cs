using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Untrusted model files (issue 9 §4): every defect is a <see cref="ModelFormatException"/> that names what is
/// wrong, raised before anything large is allocated and without running an initializer.</summary>
public class ModelFileHostileInputTests
{
    private const string Zeros = """{"name": "zeros", "config": {}}""";

    private static string Description(string inputDim = "2", string units = "3", string seed = "\"1\"", string bytes = "36",
        string activation = "relu", string version = "2", string kernel = Zeros, string extra = "") => $$"""
        {"format": "initlab-model", "version": {{version}}, "input_dim": {{inputDim}}, "seed": {{seed}},
         "layers": [{"name": "dense_0", "units": {{units}}, "activation": "{{activation}}", "use_bias": true,
                     "kernel_initializer": {{kernel}}, "bias_initializer": {{Zeros}}}],
         "weights": {"sha256": "x", "bytes": {{bytes}}, "tensors": []}{{extra}}}
        """;

    private static void WriteZip(string path, string json, byte[] weights, CompressionLevel weightCompression = CompressionLevel.NoCompression)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry("model.json").Open()))
        {
            writer.Write(json);
        }
        using var stream = zip.CreateEntry("weights.bin", weightCompression).Open();
        stream.Write(weights);
    }

    private static ModelFormatException Refused(string json, byte[] weights, out long allocated)
    {
        using var dir = new TempDirectory();
        string path = dir.File("hostile.model");
        WriteZip(path, json, weights);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(path));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("hostile.model: ", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void Load_NegativeSeedText_ModelFormatExceptionNamingSeed()
    {
        // Was an OverflowException from ulong.Parse.
        var ex = Refused(Description(seed: "\"-1\""), new byte[36], out _);
        Assert.Contains("'seed' must be a whole number in 0..18446744073709551615 written as text, got '-1'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"3\"", "'layers[0].units' must be a whole number in 1..2147483647, got \"3\"")]
    [InlineData("0", "'layers[0].units' must be a whole number in 1..2147483647, got 0")]
    [InlineData("3.5", "'layers[0].units' must be a whole number in 1..2147483647, got 3.5")]
    [InlineData("1e99", "'layers[0].units' must be a whole number in 1..2147483647, got 1e99")]
    public void Load_BadUnits_NamesPathAndValue(string units, string expected)
    {
        var ex = Refused(Description(units: units), new byte[36], out _);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownActivation_NamesLayer()
    {
        var ex = Refused(Description(activation: "relu6"), new byte[36], out _);
        Assert.Contains("'layers[0].activation' is not valid: Unknown activation 'relu6'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "orthogonal", "config": {"gain": null}}""", "config 'gain' must be a number or text, got null")]
    [InlineData("""{"name": "orthogonal", "config": {"gain": {"x": 1}}}""", "config 'gain' must be a number or text, got {\"x\":1}")]
    [InlineData("""{"name": 7, "config": {}}""", "initializer JSON has no name (a string)")]
    [InlineData("""{"name": "he_normel", "config": {}}""", "Unknown initializer 'he_normel'")]
    public void Load_BadInitializerConfig_NamesLayerField(string kernel, string expected)
    {
        var ex = Refused(Description(kernel: kernel), new byte[36], out _);
        Assert.Contains("'layers[0].kernel_initializer' is not valid: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FutureVersion_Refused()
    {
        var ex = Refused(Description(version: "5"), new byte[36], out _);
        Assert.Contains("'version' must be a whole number in 1..4, got 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HugeDeclaredOrthogonalLayer_RefusedBySizeCheckWithoutInitializing()
    {
        // The 1.5 KB file declaring a 6000×6000 orthogonal layer ran the QR for 11 minutes while loading.
        string orthogonal = """{"name": "orthogonal", "config": {"gain": 1}}""";
        var clock = Stopwatch.StartNew();
        var ex = Refused(Description(inputDim: "6000", units: "6000", bytes: "144024000", kernel: orthogonal), new byte[16], out long allocated);
        Assert.Contains("the architecture needs 144024000 weight bytes, model.json declares 144024000 and weights.bin holds 16", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes before refusing");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Load_TwoBillionInputs_RefusedBeforeAllocating()
    {
        // The issue: input_dim 2e9 allocated 7.6 GB before the size check.
        var ex = Refused(Description(inputDim: "2000000000", units: "1", bytes: "8000000004"), new byte[36], out long allocated);
        Assert.Contains("needs 8000000004 weight bytes", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void Load_KernelBeyondArrayLimit_Refused()
    {
        var ex = Refused(Description(inputDim: "65536", units: "65537", bytes: "0"), new byte[36], out _);
        Assert.Contains("declares a 65536×65537 kernel; a tensor holds at most", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhitespaceDescriptionBeyondLimit_RefusedWithoutReadingIt()
    {
        // The 1.25 GB model.json of whitespace exhausted memory; 17 MiB is enough to cross the 16 MiB bound.
        using var dir = new TempDirectory();
        string path = dir.File("hostile.model");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var stream = zip.CreateEntry("model.json", CompressionLevel.SmallestSize).Open())
            {
                var spaces = new byte[1 << 20];
                spaces.AsSpan().Fill((byte)' ');
                for (int i = 0; i < 17; i++)
                {
                    stream.Write(spaces);
                }
            }
            zip.CreateEntry("weights.bin");
        }
        Assert.True(new FileInfo(path).Length < 200_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.Contains("model.json declares 17825792 bytes; a model description is at most 16777216 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WeightEntryDeclaringMoreThanDeflateCanExpand_Refused()
    {
        // A zip whose directory claims weights.bin holds 144 MB while 16 stored bytes back it: the sizes agree with the
        // architecture, so only the expansion bound stops the 144 MB allocation.
        using var dir = new TempDirectory();
        string path = dir.File("hostile.model");
        WriteZip(path, Description(inputDim: "6000", units: "6000", bytes: "144024000"), new byte[16], CompressionLevel.Optimal);
        PatchUncompressedSize(path, "weights.bin", 144024000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.Contains("weights.bin claims 144024000 bytes from ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than any zip can hold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAZip_ModelFormatException()
    {
        using var dir = new TempDirectory();
        string path = dir.File("text.model");
        File.WriteAllText(path, "hello");
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(path));
        Assert.Contains("truncated or corrupted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_BuildsLayersWithoutRunningInitializers()
    {
        // The loader's constructor path: weights allocated as zeros, the 'ones' initializer never runs.
        var model = Sequential.Uninitialized(2, [new Dense(3, "relu", "ones", "ones")], seed: 1);
        Assert.All(model.Parameters.SelectMany(p => p.Value), v => Assert.Equal(0f, v));
        var initialised = new Sequential(2, [new Dense(3, "relu", "ones", "ones")], seed: 1);
        Assert.All(initialised.Parameters.SelectMany(p => p.Value), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void LoadTrainedModel_OrthogonalLayers_AllocatesWeightsButRunsNoInitializer()
    {
        // Orthogonal's Fill draws a Gaussian matrix and QR-factors it in double (≥ 2×8 bytes per weight); the loader
        // needs only the weights and their gradient buffers (2×4 bytes per weight) plus small change.
        using var dir = new TempDirectory();
        string path = dir.File("orthogonal.model");
        var model = new Sequential(4, [new Dense(512, "tanh", "orthogonal"), new Dense(512, "tanh", "orthogonal")], seed: 3);
        ModelFile.Save(model, path);
        long weights = model.ParameterCount * sizeof(float);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Sequential loaded = ModelFile.Load(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 2 * weights + (1 << 20), $"loading allocated {allocated} bytes for {weights} bytes of weights");
        Assert.Equal(model.Parameters[2].Value, loaded.Parameters[2].Value);
    }

    /// <summary>Rewrites an entry's uncompressed size in the local header and the central directory (ZIP APPNOTE 4.3.7
    /// and 4.3.12: offsets 22 and 24 from the signatures).</summary>
    private static void PatchUncompressedSize(string path, string entry, uint size)
    {
        byte[] bytes = File.ReadAllBytes(path);
        byte[] name = Encoding.ASCII.GetBytes(entry);
        for (int i = 0; i + 46 < bytes.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
            }
            if (signature == 0x02014b50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
            }
        }
        File.WriteAllBytes(path, bytes);
    }
}

/// <summary>Seeded mutations of a real model.json: the loader either loads or raises <see cref="ModelFormatException"/>.</summary>
public class ModelFileMutationTests
{
    [Fact]
    public void Load_MutatedDescriptions_OnlyModelFormatExceptionEscapes()
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model");
        var model = new Sequential(3, [new Dense(4, "leaky_relu(0.2)", "he_normal"), new Dense(2, "softmax", "orthogonal")], seed: 5);
        ModelFile.Save(model, good);
        string json;
        byte[] weights;
        using (var zip = ZipFile.OpenRead(good))
        {
            using (var reader = new StreamReader(zip.GetEntry("model.json")!.Open()))
            {
                json = reader.ReadToEnd();
            }
            using var stream = zip.GetEntry("weights.bin")!.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            weights = buffer.ToArray();
        }
        const string alphabet = "{}[]\":,.-+0123456789eE aztrufnl";
        var rng = new InitLab.Random.Rng(2024);
        int refused = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            var text = new StringBuilder(json);
            for (int edits = 1 + rng.NextInt(3); edits > 0; edits--)
            {
                int at = rng.NextInt(text.Length);
                switch (rng.NextInt(3))
                {
                    case 0:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text[at] = alphabet[rng.NextInt(alphabet.Length)];
                        break;
                    default:
                        text.Insert(at, alphabet[rng.NextInt(alphabet.Length)]);
                        break;
                }
            }
            string path = dir.File($"m{trial}.model");
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            {
                using (var writer = new StreamWriter(zip.CreateEntry("model.json").Open()))
                {
                    writer.Write(text.ToString());
                }
                using var stream = zip.CreateEntry("weights.bin", CompressionLevel.NoCompression).Open();
                stream.Write(weights);
            }
            try
            {
                ModelFile.LoadTrainedModel(path);
            }
            catch (ModelFormatException)
            {
                refused++;
            }
            File.Delete(path);
        }
        // Most edits break the JSON or a field; some land in whitespace or a name and still load.
        Assert.InRange(refused, 200, 400);
    }
}
