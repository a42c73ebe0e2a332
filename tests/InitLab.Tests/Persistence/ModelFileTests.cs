using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

public class ModelFileTests
{
    private static Sequential TrainedModel()
    {
        Dataset data = SyntheticData.Spirals(300, 3, 0.2, 1);
        var model = new Sequential(2, [new Dense(16, "leaky_relu(0.1)", "kaiming_uniform"), new Dense(16, "tanh", "orthogonal", "random_normal"), new Dense(3, "softmax", "glorot_normal", "zeros", useBias: false)], seed: 9);
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Adam(0.01));
        model.Fit(data.Features, data.TargetsFor(model.Loss!, 3), new FitOptions { Epochs = 3 });
        return model;
    }

    [Fact]
    public void SaveLoad_PredictionsBitExact()
    {
        using var dir = new TempDirectory();
        Sequential model = TrainedModel();
        string path = dir.File("m.model");
        ModelFile.Save(model, path);
        Sequential loaded = ModelFile.Load(path);
        var x = SyntheticData.Spirals(50, 3, 0.2, 2).Features;
        Assert.Equal(model.Predict(x).Data, loaded.Predict(x).Data);
        Assert.Equal(model.Layers.Select(l => l.ToString()), loaded.Layers.Select(l => l.ToString()));
    }

    [Fact]
    public void Load_CorruptedWeights_FailsLoudly()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        ModelFile.Save(TrainedModel(), path);
        // Rewrite weights.bin with one float changed, keeping a valid zip, so only our checksum can notice.
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("weights.bin")!;
            byte[] bytes;
            using (var s = entry.Open())
            using (var m = new MemoryStream())
            {
                s.CopyTo(m);
                bytes = m.ToArray();
            }
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8), 123.5f);
            entry.Delete();
            using var w = zip.CreateEntry("weights.bin").Open();
            w.Write(bytes);
        }
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("checksum mismatch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was loaded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedFile_FailsLoudly()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        ModelFile.Save(TrainedModel(), path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("truncated or corrupted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Npy_HeaderIsNumpyVersion1_AlignedTo64()
    {
        byte[] header = NpyWriter.Header([3, 4]);
        Assert.Equal(0x93, header[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(header, 1, 5));
        Assert.Equal(0, header.Length % 64);
        string dict = Encoding.ASCII.GetString(header, 10, header.Length - 10);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", dict, StringComparison.Ordinal);
        Assert.EndsWith("\n", dict, StringComparison.Ordinal);
        Assert.Contains("'shape': (5,)", Encoding.ASCII.GetString(NpyWriter.Header([5])), StringComparison.Ordinal);
    }
}
