using InitLab.Cli.Rendering;
using InitLab.Training;

namespace InitLab.Cli.Tests.Rendering;

public sealed class EpochProgressTests
{
    [Theory]
    [InlineData(1030.4, "1030")]
    [InlineData(103.04, "103")]
    [InlineData(10.349, "10.3")]
    [InlineData(1.2345, "1.23")]
    [InlineData(0.0123, "0.012")]
    public void Milliseconds_NeverExponentForm_ThreeSignificantDigits(double ms, string expected) =>
        Assert.Equal(expected, EpochProgress.Milliseconds(ms));

    [Fact]
    public void CompactMetrics_WithValidation_FitsAnEightyColumnLiveLine()
    {
        var metrics = new EpochMetrics(12, 0.34123, 0.91254, 0.35111, 0.9);

        string line = "training " + EpochProgress.CompactMetrics(metrics);

        Assert.Equal("training loss 0.341 acc 91.3 % val 0.351/90.0 %", line);
        // 80 columns minus the bar, percentage and remaining-time columns (16 + 4 + 8 + gaps).
        Assert.True(line.Length <= 80 - 32, $"{line.Length} characters");
    }

    [Fact]
    public void Fit_LongText_CutWithEllipsisAtWidth()
    {
        Assert.Equal("abc", EpochProgress.Fit("abc", 30));
        string cut = EpochProgress.Fit(new string('x', 50), 25);
        Assert.Equal(25, cut.Length);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
    }
}
