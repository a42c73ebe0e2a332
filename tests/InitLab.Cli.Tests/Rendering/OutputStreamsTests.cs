using System.Text.Json;
using System.Text.RegularExpressions;

namespace InitLab.Cli.Tests.Rendering;

public partial class OutputStreamsTests
{
    [Fact]
    public void Train_JsonDash_StdoutIsOnlyJson_TablesAndProgressOnStderr()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "3", "--json", "-");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("history").GetArrayLength());
        Assert.Contains("│ split", error, StringComparison.Ordinal);
        Assert.Contains("epoch 3/3", error, StringComparison.Ordinal);
        Assert.False(File.Exists("-"));
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--json", "-")]
    public void Inits_JsonToStdout_ParsesAndListsEveryInitializer(params string[] flags)
    {
        var (code, output, error) = CliRunner.Run(["inits", .. flags]);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(InitLab.Initializers.InitializerRegistry.Entries.Count, json.RootElement.GetArrayLength());
    }

    [Fact]
    public void Train_Redirected_OneLinePerEpochWithValidationMetrics()
    {
        var (code, output, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "4", "--validation-split", "0.25");
        Assert.True(code == 0, error);
        var lines = EpochLine().Matches(error).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([1, 2, 3, 4], lines);
        Assert.All(error.Split('\n').Where(l => l.StartsWith("epoch", StringComparison.Ordinal)),
            l => Assert.Matches(@" - loss [0-9.E+-]+ - accuracy [0-9.]+ % - val_loss [0-9.E+-]+ - val_accuracy [0-9.]+ %$", l));
        Assert.DoesNotContain("epoch ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_LogEvery5_PrintsEpochs1And5And10AndTheLast()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "12", "--log-every", "5");
        Assert.True(code == 0, error);
        var lines = EpochLine().Matches(error).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([1, 5, 10, 12], lines);
    }

    [Fact]
    public void Train_CancelledDuringTraining_Exit130_NoFileWritten()
    {
        using var dir = new TempDirectory();
        using var interrupt = new CancellationTokenSource();
        interrupt.CancelAfter(TimeSpan.FromMilliseconds(1500));
        var (code, _, error) = CliRunner.RunWith(200, interrupt.Token, "train", "--data", "digits", "--layers", "64,64,10", "--epochs", "100000",
            "--json", dir.File("r.json"), "--save", dir.File("m.model"));
        Assert.Equal(130, code);
        Assert.Matches("epoch +1/100000", error);
        Assert.EndsWith("error: interrupted (Ctrl-C); no output file was written", error.TrimEnd(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [GeneratedRegex(@"^epoch +([0-9]+)/", RegexOptions.Multiline)]
    private static partial Regex EpochLine();
}
