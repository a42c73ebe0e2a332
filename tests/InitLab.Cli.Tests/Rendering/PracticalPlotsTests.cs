using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InitLab.Cli.Rendering;
using ScottPlot;

namespace InitLab.Cli.Tests.Rendering;

public partial class PracticalPlotsTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(31)]
    public void LayerTicks_AreWholeNumbersOnly(int layers)
    {
        var plot = new Plot();
        PlotAxes.LayerTicks(plot, layers);
        plot.GetImage(800, 400); // ticks are generated when the plot is rendered
        var ticks = plot.Axes.Bottom.TickGenerator.Ticks;
        Assert.NotEmpty(ticks);
        Assert.All(ticks, t => Assert.Equal(Math.Round(t.Position), t.Position));
        Assert.All(ticks.Where(t => t.IsMajor), t => Assert.Equal(t.Position, double.Parse(t.Label, CultureInfo.InvariantCulture)));
        Assert.Contains(ticks, t => t.IsMajor && t.Position == 1);
        Assert.True(ticks.Count(t => t.IsMajor) <= 16, "at most ~15 labels");
    }

    [Fact]
    public void ScaleFor_ExactZeros_GetTheirOwnRowBelowTheSmallestDecade_NotLog10Of1e30()
    {
        // Smallest positive 1e-3 → axis floor 10⁻³; zeros 1.5 decades below it, at −4.5 (not at −30).
        var scale = PlotAxes.ScaleFor([0, 1e-3, 5, double.NaN]);
        Assert.Equal(-3, scale.Low);
        Assert.Equal(Math.Log10(5), scale.High, 12);
        Assert.Equal(-4.5, scale.ZeroRow);
        Assert.Equal(-4.5, scale.Y(0));
        Assert.Equal(2, scale.Y(100), 12);
        Assert.Null(PlotAxes.ScaleFor([1, 10]).ZeroRow);
    }

    [Fact]
    public void LogTicks_LabelledAsPowersOfTen_WithTheZeroRowNamed()
    {
        var plot = new Plot();
        PlotAxes.LogTicks(plot, PlotAxes.ScaleFor([0, 1e-3, 5]));
        plot.GetImage(800, 400); // ticks are generated when the plot is rendered
        var major = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToList();
        Assert.Equal(["0 (no signal)", "10⁻³", "10⁻²", "10⁻¹", "1", "10"], major.OrderBy(t => t.Position).Select(t => t.Label));
        Assert.Equal("10⁻¹⁵", PlotAxes.PowerOfTen(-15));
    }

    [Fact]
    public void Practicals_Captions_SayLogScaleFlatLineAndZeros()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, _, error) = CliRunner.Run("practicals", "--quick", "--case", "large-random", "--case", "zero-relu", "--out", folder);
        Assert.True(code == 0, error);
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        var captions = CaptionPattern().Matches(html).ToDictionary(m => m.Groups[2].Value, m => WebUtility.HtmlDecode(m.Groups[1].Value));
        // ReLU's first loss is ~1e13, tanh/sigmoid stay near 1: far more than two decades, so a log axis.
        Assert.StartsWith("Log scale: the losses span 13 decades", captions["loss-large-random.png"], StringComparison.Ordinal);
        Assert.StartsWith("Linear scale from 0", captions["loss-zero-relu.png"], StringComparison.Ordinal);
        Assert.Contains("flat on the ln 2 line", captions["loss-zero-relu.png"], StringComparison.Ordinal);
        Assert.Contains("every hidden activation is exactly 0", captions["activation-std-zero-relu.png"], StringComparison.Ordinal);
        Assert.Contains("2 of 3 layers get a gradient of exactly 0", captions["grad-norm-zero-relu.png"], StringComparison.Ordinal);
    }

    [GeneratedRegex("<figcaption>(.*?) <span class=\"small\">\\(([^)]*)\\)</span>", RegexOptions.Singleline)]
    private static partial Regex CaptionPattern();
}
