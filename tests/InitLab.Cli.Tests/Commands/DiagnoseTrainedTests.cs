using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 14 §5: <c>diagnose --model M --data FILE</c>.</summary>
public class DiagnoseTrainedTests
{
    [Fact]
    public void DiagnoseModel_Iris_LossMatchesEvaluateThroughTheSamePreprocessing()
    {
        using var dir = new TempDirectory();
        string model = dir.File("iris.model");
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "5", "--save", model).ExitCode);
        var (code, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "iris", "--json", dir.File("d.json"));
        Assert.True(code == 0, error);
        Assert.Contains("dense_0", output, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("evaluate", "--model", model, "--data", "iris", "--json", dir.File("e.json")).ExitCode);

        using var diagnosis = JsonDocument.Parse(File.ReadAllText(dir.File("d.json")));
        using var evaluation = JsonDocument.Parse(File.ReadAllText(dir.File("e.json")));
        Assert.Equal(150, diagnosis.RootElement.GetProperty("rows").GetInt32());
        // evaluate scores all 150 rows through TrainedModel.Evaluate: same scaler, labels and loss, so the same mean loss
        // (float sums in another order: agreement to ~1e-6 relative).
        double expected = evaluation.RootElement.GetProperty("metrics").GetProperty("loss").GetDouble();
        Assert.Equal(expected, diagnosis.RootElement.GetProperty("loss").GetDouble(), 1e-5);
        Assert.Equal(2, diagnosis.RootElement.GetProperty("layers").GetArrayLength()); // 4 → 8 → 3: two Dense layers
    }

    [Fact]
    public void DiagnoseModel_WithoutData_NamesTheFlag()
    {
        using var dir = new TempDirectory();
        string model = dir.File("iris.model");
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "1", "--save", model).ExitCode);
        var (code, _, error) = CliRunner.Run("diagnose", "--model", model);
        Assert.NotEqual(0, code);
        Assert.Contains("--data", error, StringComparison.Ordinal);
    }
}
