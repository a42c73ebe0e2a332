using System.Text.Json;
using InitLab.Data;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 21: every command that reads a model file works on a residual network with batch and layer
/// normalization (built and trained through the library; the train flags for such nets come separately).</summary>
public class ResidualModelCommandTests
{
    /// <summary>The residual digits model saved as 'train' would save it: its split recorded and its scores reported.</summary>
    private static (string Path, TrainedModel Model, Dataset Test) Saved(TempDirectory dir)
    {
        (TrainedModel model, Dataset test) = ResidualNets.TrainOnDigits(epochs: 2, seed: 1);
        var recorded = new TrainedModel(model.Network, model.Task, model.FeatureNames, model.FeatureScaler, model.ClassLabels, null, model.LabelName)
        {
            Provenance = new ModelProvenance
            {
                Training = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["data"] = "digits", ["data_seed"] = "1" },
                TestMetrics = model.Evaluate(test),
            },
        };
        string path = dir.File("residual.model");
        ModelFile.Save(recorded, path);
        return (path, recorded, test);
    }

    [Fact]
    public void Evaluate_ResidualModelTestSplit_SameScoresAsTheTrainedModel()
    {
        using var dir = new TempDirectory();
        (string path, TrainedModel model, Dataset test) = Saved(dir);

        var (code, output, error) = CliRunner.Run("evaluate", "--model", path, "--data", "digits", "--split", "test", "--json", dir.File("e.json"));

        Assert.True(code == 0, error);
        Assert.Contains("Residual[", output, StringComparison.Ordinal);
        Assert.Contains("the same scores 'train' reported for its test split", output, StringComparison.Ordinal);
        JsonElement metrics = JsonDocument.Parse(File.ReadAllText(dir.File("e.json"))).RootElement.GetProperty("metrics");
        ModelEvaluation expected = model.Evaluate(test);
        Assert.Equal(expected.Loss, metrics.GetProperty("loss").GetDouble());
        Assert.Equal(expected.Accuracy, metrics.GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void Predict_ResidualModel_LabelsEqualTheTrainedModels()
    {
        using var dir = new TempDirectory();
        (string path, TrainedModel model, _) = Saved(dir);

        var (code, _, error) = CliRunner.Run("predict", "--model", path, "--data", "digits", "--out", dir.File("p.csv"));

        Assert.True(code == 0, error);
        string[] lines = File.ReadAllLines(dir.File("p.csv"));
        IReadOnlyList<string> expected = model.Predict(InitLab.Experiments.DataSource.LoadAll("digits")).Labels!;
        Assert.Equal(expected, lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void ExportNpzAndOnnxThenImport_ResidualModel_RoundTrips()
    {
        using var dir = new TempDirectory();
        (string path, TrainedModel model, Dataset test) = Saved(dir);

        var (code, output, error) = CliRunner.Run("export", "--model", path, "--npz", dir.File("w.npz"), "--onnx", dir.File("m.onnx"), "--layout", "pytorch");
        Assert.True(code == 0, error);
        int arrays = WeightArrays.ToArrays(model.Network, Initializers.WeightLayout.PyTorch).Count;
        Assert.Contains($"{arrays} arrays (PyTorch layout)", output, StringComparison.Ordinal);
        Assert.Contains("residual_1.batch_normalization_1.running_var", NpzFile.Read(dir.File("w.npz")).Keys);
        Assert.True(new FileInfo(dir.File("m.onnx")).Length > 0);

        (code, _, error) = CliRunner.Run("import", "--model", path, "--npz", dir.File("w.npz"), "--layout", "pytorch", "--out", dir.File("imported.model"));
        Assert.True(code == 0, error);
        Assert.Equal(model.Evaluate(test), ModelFile.LoadTrainedModel(dir.File("imported.model")).Evaluate(test));
    }
}
