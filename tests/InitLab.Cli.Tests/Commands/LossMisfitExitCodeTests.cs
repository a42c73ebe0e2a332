namespace InitLab.Cli.Tests.Commands;

/// <summary>Review D4 at the command line: a --loss that does not fit the label is a usage error (exit 2) naming --loss.</summary>
public class LossMisfitExitCodeTests
{
    [Theory]
    [InlineData("iris", "binary_crossentropy", "3 classes")]
    [InlineData("moons", "sparse_categorical_crossentropy", "end the layers with 2")]
    public void Train_LossNotFittingTheLabel_Exit2NamingLossAndWhatFits(string data, string loss, string expected)
    {
        var (code, _, error) = CliRunner.Run("train", "--data", data, "--epochs", "1", "--loss", loss);
        Assert.Equal(2, code);
        Assert.Contains("--loss", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }
}
