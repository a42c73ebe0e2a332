using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Review D2 (issue 9 §3): "-" as an output either is standard output (text: JSON, CSV) or is refused with
/// the flag named (binary files and folders); a file or folder named "-" is never created.</summary>
public class StdoutDashTests
{
    [Fact]
    public void Evaluate_JsonDash_JsonOnStdoutTablesOnStderr()
    {
        using var dir = new TempDirectory();
        string model = dir.File("iris.model");
        var (code, _, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "2", "--save", model);
        Assert.True(code == 0, error);
        (code, string output, error) = CliRunner.Run("evaluate", "--model", model, "--data", "iris", "--json", "-");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(150, json.RootElement.GetProperty("metrics").GetProperty("rows").GetInt32());
        Assert.Contains("150 rows of iris", error, StringComparison.Ordinal);
        Assert.False(Path.Exists("-")); // the working directory: where a file named "-" used to land
    }

    [Theory]
    [InlineData("--out", "init", "--name", "he_normal", "--shape", "3,3", "--out", "-")]
    [InlineData("--save", "train", "--epochs", "1", "--save", "-")]
    [InlineData("--save", "train", "--epochs", "1", "--json", "-", "--save", "-")]
    [InlineData("--export-npy", "train", "--epochs", "1", "--export-npy", "-")]
    [InlineData("--monitor", "train", "--epochs", "1", "--monitor", "-")]
    [InlineData("--npz", "export", "--model", "m.model", "--npz", "-")]
    [InlineData("--out", "import", "--model", "m.model", "--npz", "w.npz", "--out", "-")]
    [InlineData("--out", "practicals", "--quick", "--out", "-")]
    public void BinaryOutputDash_RefusedNamingTheFlag_NothingWritten(string flag, params string[] args)
    {
        // Refused before any input is read: export/import name model files that do not exist.
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {flag}: '-' (standard output) cannot take ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", output, StringComparison.Ordinal);
        Assert.False(Path.Exists("-"));
    }
}
