using InitLab.Experiments;

namespace InitLab.Cli.Tests.Commands;

/// <summary>The built-in data names, including the digit sequences and the adding problem, are listed by
/// <c>train --help</c>, suggested for a typo, and train.</summary>
public class DataNamesTests
{
    [Fact]
    public void TrainHelp_ListsEveryBuiltInName()
    {
        var (code, output, _) = CliRunner.RunWith(400, default, "train", "--help");
        Assert.Equal(0, code);
        string flat = string.Join(" ", output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        foreach (string name in new[] { "digits", "iris", "adding", "digits-rows", "digits-pixels", "digits-pixels-permuted" })
        {
            Assert.Contains(name + ",", flat, StringComparison.Ordinal);
        }
        Assert.Equal(DataSource.Names.Count, DataSource.Names.Count(n => flat.Contains(n + ",", StringComparison.Ordinal)));
    }

    [Fact]
    public void Train_MisspelledSequenceName_SuggestsIt()
    {
        var (code, output, error) = CliRunner.Run("train", "--data", "digits-pixel", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Did you mean 'digits-pixels'?", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digits-rows", "64,10")]
    [InlineData("digits-pixels-permuted", "64,10")]
    [InlineData("adding", "100,1")]
    public void Train_SequenceName_Trains(string data, string layers)
    {
        var (code, output, error) = CliRunner.Run("train", "--data", data, "--layers", layers, "--epochs", "1", "--rows", "200");
        Assert.True(code == 0, error);
        Assert.Contains("1 epochs", output, StringComparison.Ordinal);
    }
}
