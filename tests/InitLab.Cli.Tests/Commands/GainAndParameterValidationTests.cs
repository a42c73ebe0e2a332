namespace InitLab.Cli.Tests.Commands;

/// <summary>Review D5: <c>init --gain -1</c> silently became gain 1 (scale = gain²), <c>--gain 1e-300</c> was reported
/// as a "scale … got 0", and a repeated <c>-p key=…</c> silently kept the last value.</summary>
public class GainAndParameterValidationTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("NaN")]
    [InlineData("-0.5")]
    public void Init_GainNotPositive_UsageErrorNamingGain(string gain)
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("init", "--name", "glorot_uniform", "--shape", "2,3", "--gain", gain, "--out", dir.File("g.npy"));
        Assert.Equal(2, code);
        Assert.StartsWith($"error: --gain: got {gain}; it must be a finite number > 0.", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("glorot_uniform", "1e-300", "1E-300")] // squares to 0
    [InlineData("xavier_normal", "1e300", "1E+300")]   // squares to ∞
    public void Init_GainThatCannotBeSquared_ErrorSaysGainAndTheValueGiven(string name, string gain, string printed)
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("init", "--name", name, "--shape", "2,3", "--gain", gain, "--out", dir.File("g.npy"));
        Assert.NotEqual(0, code);
        Assert.StartsWith($"error: {name}: gain must be finite and > 0", error, StringComparison.Ordinal);
        Assert.Contains($"got {printed}.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("scale", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Train_NegativeGainParameter_Refused()
    {
        var (code, _, error) = CliRunner.Run("train", "--epochs", "1", "--init", "xavier_normal", "--init-param", "gain=-1");
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: xavier_normal: gain must be finite and > 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_RepeatedParameterKey_ErrorNamesTheKey()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("init", "--name", "constant", "--shape", "2,3", "-p", "value=1", "-p", "value=2", "--out", dir.File("c.npy"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: Initializer parameter 'value' is given twice (value=1 and value=2); give it once.", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
