namespace InitLab.Cli.Tests.Commands;

/// <summary>Review D12: <c>--threads 100000</c> was accepted without a word, a folder given as <c>--model</c> was
/// reported as missing, and <c>predict --out</c> lacked the <c>-o</c> of every other <c>--out</c>.</summary>
public class ThreadsAndModelPathFlagTests
{
    [Theory]
    [InlineData("train", "--epochs", "1")]
    [InlineData("bench")]
    [InlineData("practicals", "--quick")]
    public void Threads_AboveTheCap_UsageError(params string[] args)
    {
        var (code, output, error) = CliRunner.Run([.. args, "--threads", "100000"]);
        Assert.Equal(2, code);
        Assert.StartsWith("error: --threads: got 100000; it must be a whole number from 1 to 1024", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public void Threads_AtTheCap_Accepted()
    {
        var (code, _, error) = CliRunner.Run("train", "--epochs", "1", "--rows", "50", "--threads", "1024");
        Assert.True(code == 0, error);
    }

    [Theory]
    [InlineData("evaluate", "--data", "iris")]
    [InlineData("predict", "--data", "iris")]
    [InlineData("export", "--npz", "w.npz")]
    public void Model_IsAFolder_SaysSo(params string[] args)
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run([.. args, "--model", dir.Path]);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: --model: '{dir.Path}' is a folder, expected a model file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_ShortO_WritesTheCsv()
    {
        using var dir = new TempDirectory();
        string model = dir.File("iris.model");
        var (code, _, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "1", "--save", model);
        Assert.True(code == 0, error);
        (code, _, error) = CliRunner.Run("predict", "--model", model, "--data", "iris", "-o", dir.File("p.csv"));
        Assert.True(code == 0, error);
        Assert.Equal(151, File.ReadAllLines(dir.File("p.csv")).Length); // header + 150 rows
    }
}
