using InitLab.Initializers;
using InitLab.Persistence;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 14 §3: <c>initlab export --npz</c> and <c>initlab import</c> in Keras and PyTorch layout.</summary>
public class ExportImportCommandTests
{
    private static string Train(TempDirectory dir, ulong seed)
    {
        string path = dir.File($"m{seed}.model");
        var (code, _, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,5,3", "--epochs", "2", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", path);
        Assert.True(code == 0, error);
        return path;
    }

    [Fact]
    public void ExportPyTorchThenImportIntoOtherModel_GivesTheSameWeights()
    {
        using var dir = new TempDirectory();
        string first = Train(dir, 1), second = Train(dir, 2);

        var (code, output, error) = CliRunner.Run("export", "--model", first, "--npz", dir.File("w.npz"), "--layout", "pytorch");
        Assert.True(code == 0, error);
        Assert.Contains("4 arrays (PyTorch layout)", output, StringComparison.Ordinal);
        Assert.Equal([5, 4], NpzFile.Read(dir.File("w.npz"))["dense_0.weight"].Shape);

        (code, _, error) = CliRunner.Run("import", "--model", second, "--npz", dir.File("w.npz"), "--layout", "pytorch", "--out", dir.File("imported.model"));
        Assert.True(code == 0, error);

        var original = ModelFile.Load(first);
        var imported = ModelFile.Load(dir.File("imported.model"));
        Assert.Equal(original.DenseLayers[0].Kernel.ToArray(), imported.DenseLayers[0].Kernel.ToArray());
        Assert.Equal(original.DenseLayers[1].Bias.ToArray(), imported.DenseLayers[1].Bias.ToArray());
    }

    [Fact]
    public void Import_KerasFileReadAsPyTorch_ExitsOneNamingTheArrayAndWritesNothing()
    {
        using var dir = new TempDirectory();
        string model = Train(dir, 1);
        WeightArrays.Export(ModelFile.Load(model), dir.File("k.npz"), WeightLayout.Keras);

        var (code, _, error) = CliRunner.Run("import", "--model", model, "--npz", dir.File("k.npz"), "--layout", "pytorch", "-o", dir.File("x.model"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: k.npz: no array 'dense_0.weight'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.model")));
    }

    [Fact]
    public void Export_UnknownLayout_IsUsageErrorListingValid()
    {
        using var dir = new TempDirectory();
        string model = Train(dir, 1);

        var (code, _, error) = CliRunner.Run("export", "--model", model, "--npz", dir.File("w.npz"), "--layout", "tensorflow");

        Assert.Equal(2, code);
        Assert.Contains("--layout: Unknown weight layout 'tensorflow'", error, StringComparison.Ordinal);
        Assert.Contains("pytorch", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportOnnx_WritesAParseableModelWithScalerInFront()
    {
        using var dir = new TempDirectory();
        string model = Train(dir, 1);

        var (code, output, error) = CliRunner.Run("export", "--model", model, "--onnx", dir.File("m.onnx"));

        Assert.True(code == 0, error);
        Assert.Contains("opset 17", output, StringComparison.Ordinal);
        var proto = InitLab.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(dir.File("m.onnx")));
        Assert.Equal(["Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"], proto.Graph.Node.Select(n => n.OpType));
    }

    [Fact]
    public void Export_NeitherNpzNorOnnx_IsUsageError()
    {
        using var dir = new TempDirectory();
        string model = Train(dir, 1);

        var (code, _, error) = CliRunner.Run("export", "--model", model);

        Assert.Equal(2, code);
        Assert.Contains("--npz FILE", error, StringComparison.Ordinal);
        Assert.Contains("--onnx FILE", error, StringComparison.Ordinal);
    }
}
