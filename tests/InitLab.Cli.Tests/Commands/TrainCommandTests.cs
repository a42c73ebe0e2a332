using System.Text.RegularExpressions;
using InitLab.Persistence;

namespace InitLab.Cli.Tests.Commands;

public partial class TrainCommandTests
{
    [Theory]
    [InlineData("--activation", "rleu", "Unknown activation 'rleu'. Did you mean 'relu'?")]
    [InlineData("--loss", "mse_loss", "Unknown loss 'mse_loss'.")]
    [InlineData("--optimizer", "adamw", "Unknown optimizer 'adamw'. Did you mean 'adam'?")]
    [InlineData("--init", "he_normel", "Unknown initializer 'he_normel'. Did you mean 'he_normal'?")]
    [InlineData("--data", "moon", "Unknown data 'moon'")]
    public void Train_UnknownName_ListsValidNamesAndNearest(string flag, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run("train", "--epochs", "1", flag, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("Valid", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lr", "0", "--lr: got 0; it must be a finite number > 0.")]
    [InlineData("--lr", "-1", "--lr: got -1; it must be a finite number > 0.")]
    [InlineData("--lr", "NaN", "--lr: got NaN; it must be a finite number > 0.")]
    [InlineData("--batch-size", "0", "--batch-size: got 0; it must be a whole number >= 1.")]
    [InlineData("--epochs", "0", "--epochs: got 0; it must be a whole number >= 1.")]
    [InlineData("--test-fraction", "1", "--test-fraction: got 1; it must be in (0, 1).")]
    [InlineData("--threads", "0", "--threads: got 0; it must be a whole number from 1 to 1024")]
    [InlineData("--noise", "-1", "--noise: got -1; it must be a finite number >= 0 (0 is off).")]
    public void Train_OutOfRangeFlag_OneUsageErrorNamingFlagValueAndRange(string flag, string value, string expected) =>
        AssertOneParseError(CliRunner.Run("train", flag, value), expected);

    /// <summary>A flag's value is checked once, when the command line is parsed: exit 2, nothing on standard output, and
    /// on standard error one line naming the flag, the value and the range, then the pointer to the help.</summary>
    private static void AssertOneParseError((int Code, string Output, string Error) run, string expected)
    {
        Assert.Equal(2, run.Code);
        Assert.Equal(string.Empty, run.Output);
        string[] lines = run.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: " + expected, lines[0], StringComparison.Ordinal);
        Assert.Equal("see `initlab train --help`", lines[1]);
    }

    [Fact]
    public void Train_FirstWidthDiffersFromFeatures_NamesBothNumbers()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "moons", "--layers", "3,8,1", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("first width is 3 but the data 'moons (train)' has 2 features", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_LastWidthDoesNotFitLabels_NamesBothNumbers()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,8,1", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("last width is 1 but the data 'iris (train)' has 3 classes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_BadCsvCell_NamesFileRowColumn_AndTrainsNothing()
    {
        using var dir = new TempDirectory();
        string csv = dir.File("broken.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,0\n3,4,1\n5,oops,0\n");
        string json = dir.File("out.json");
        var (code, _, error) = CliRunner.Run("train", "--data", csv, "--layers", "2,4,1", "--json", json);
        Assert.Equal(1, code); // bad file contents: a runtime failure, not a usage error
        Assert.Contains("broken.csv: row 3 (line 4), column 'b': 'oops' is not a number", error, StringComparison.Ordinal);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Train_Diverging_StopsWithDiagnosis()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "curve", "--layers", "1,64,64,1", "--init", "tutorial_large_random",
            "--optimizer", "sgd", "--lr", "10", "--epochs", "20");
        Assert.Equal(1, code); // divergence is a runtime failure
        Assert.Contains("Training diverged at epoch", error, StringComparison.Ordinal);
        Assert.Contains("largest gradient norm", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SameCommandTwice_IdenticalJsonApartFromTimings()
    {
        using var dir = new TempDirectory();
        string[] Args(string file) => ["train", "--data", "spirals", "--layers", "2,32,32,3", "--epochs", "5", "--seed", "3", "--json", dir.File(file)];
        Assert.Equal(0, CliRunner.Run(Args("a.json")).ExitCode);
        Assert.Equal(0, CliRunner.Run(Args("b.json")).ExitCode);
        string a = SecondsPattern().Replace(File.ReadAllText(dir.File("a.json")), "\"seconds\": X");
        string b = SecondsPattern().Replace(File.ReadAllText(dir.File("b.json")), "\"seconds\": X");
        Assert.Equal(a, b);
        Assert.Contains("\"history\": [", a, StringComparison.Ordinal);
        Assert.Contains("\"test_accuracy\": ", a, StringComparison.Ordinal);
        Assert.Contains("\"val_loss\": null", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_OneVersusTwoThreads_IdenticalWeights()
    {
        using var dir = new TempDirectory();
        foreach (string threads in new[] { "1", "2" })
        {
            var (code, _, error) = CliRunner.Run("train", "--data", "digits", "--layers", "64,256,256,10", "--epochs", "2", "--batch-size", "128",
                "--threads", threads, "--save", dir.File($"t{threads}.model"));
            Assert.True(code == 0, error);
        }
        var one = ModelFile.Load(dir.File("t1.model"));
        var two = ModelFile.Load(dir.File("t2.model"));
        for (int i = 0; i < one.Parameters.Count; i++)
        {
            Assert.Equal(one.Parameters[i].Value, two.Parameters[i].Value);
        }
    }

    [Fact]
    public void Train_Help_ShowsExamples()
    {
        var (code, output, _) = CliRunner.Run("train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Contains("--layers", output, StringComparison.Ordinal);
    }

    [GeneratedRegex("\"seconds\": [0-9.eE+-]+")]
    private static partial Regex SecondsPattern();
}

public class TrainExportTests
{
    [Fact]
    public void Train_ExportNpy_WritesEveryWeightTensor()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "2", "--export-npy", dir.File("npy"));
        Assert.True(code == 0, error);
        var files = Directory.GetFiles(dir.File("npy")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["dense_0.bias.npy", "dense_0.kernel.npy", "dense_1.bias.npy", "dense_1.kernel.npy"], files);
        string header = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(Path.Combine(dir.File("npy"), "dense_0.kernel.npy")), 10, 118);
        Assert.Contains("'shape': (4, 8)", header, StringComparison.Ordinal);
    }
}
