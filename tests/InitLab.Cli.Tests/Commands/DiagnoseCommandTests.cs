using System.Text.Json;
using InitLab.Cli.Commands;

namespace InitLab.Cli.Tests.Commands;

public class DiagnoseCommandTests
{
    private static string Layers(int input, int width, int depth, int output) =>
        string.Join(",", Enumerable.Repeat(width, depth).Prepend(input).Append(output));

    [Fact]
    public void Diagnose_OverflowingNetwork_SaysExplodingBeforeTheTable()
    {
        var (code, output, error) = CliRunner.Run("diagnose", "--layers", Layers(64, 256, 20, 10), "--activation", "relu", "--init", "tutorial_large_random");
        Assert.True(code == 0, error);
        int verdict = output.IndexOf("verdict at initialization: EXPLODING_GRADIENTS — E[z²] = ∞ in dense_", StringComparison.Ordinal);
        Assert.True(verdict >= 0, output);
        // The table may be drawn with or without borders (it fits the console's width); its header names "predicted E[z²]".
        int header = output.IndexOf("predicted E[z²]", StringComparison.Ordinal);
        Assert.True(header > verdict, "the verdict comes before the table");
        Assert.Contains("∞", output[header..], StringComparison.Ordinal);
        Assert.DoesNotContain("No warnings", output, StringComparison.Ordinal);
        Assert.DoesNotContain("verdict at initialization: healthy", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_SoftmaxOutput_PredictedStdIsADashNotNaN()
    {
        // Softmax is row-wise: the theory predicts its pre-activation but not its output's spread, so the table says "—".
        var (code, output, error) = CliRunner.Run("diagnose", "--data", "digits", "--layers", "64,32,10");
        Assert.True(code == 0, error);
        string softmaxRow = output.Split('\n').Single(line => line.Contains("softmax", StringComparison.Ordinal) && line.Contains("dense_1", StringComparison.Ordinal));
        Assert.DoesNotContain("NaN", softmaxRow, StringComparison.Ordinal);
        Assert.Contains("—", softmaxRow, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_Json_CarriesVerdictScopeAndAdvice()
    {
        using var dir = new TempDirectory();
        string path = dir.File("d.json");
        var (code, _, error) = CliRunner.Run("diagnose", "--layers", Layers(64, 256, 20, 10), "--activation", "relu", "--init", "tutorial_large_random", "--json", path);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal("exploding_gradients", root.GetProperty("verdict").GetString());
        Assert.Equal("at_initialization", root.GetProperty("judged").GetString());
        Assert.Equal("he_normal", root.GetProperty("recommended_initializer").GetString());
        Assert.StartsWith("E[z²] = ∞ in dense_", root.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        // JSON cannot hold ∞: the overflowed statistic is null, never a finite-looking number.
        Assert.Equal(JsonValueKind.Null, root.GetProperty("layers")[20].GetProperty("pre_activation_mean_square").ValueKind);
    }

    [Fact]
    public void Diagnose_TenLayerReluGlorotOnCircles_HealthyAtInitAsInThePracticals()
    {
        // practicals: depth-sweep and this 10×64 net are healthy (std ratio 2^(−9/2) = 0.044 > 0.01); diagnose must agree
        // and say that it judged at initialization only.
        var (code, output, error) = CliRunner.Run("diagnose", "--layers", Layers(2, 64, 10, 1), "--activation", "relu", "--init", "glorot_uniform", "--data", "circles");
        Assert.True(code == 0, error);
        Assert.Contains("verdict at initialization: healthy", output, StringComparison.Ordinal);
        Assert.Contains("Judged at initialization only", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("use he_normal", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_GlorotNormalSigmoidDepth20_DoesNotAdviseGlorotUniform()
    {
        var (code, output, error) = CliRunner.Run("diagnose", "--layers", Layers(64, 128, 20, 10), "--activation", "sigmoid", "--init", "glorot_normal");
        Assert.True(code == 0, error);
        Assert.Contains("VANISHING_GRADIENTS", output, StringComparison.Ordinal);
        Assert.DoesNotContain("use glorot_uniform", output, StringComparison.Ordinal);
        Assert.Contains("use at most", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(256, 64, 256)]
    [InlineData(256, 65536, 256)]
    [InlineData(256, 131072, 128)]
    [InlineData(256, 1 << 20, 16)]
    [InlineData(256, 1 << 26, 16)]
    public void ProbeRows_WideLayers_RowsTimesWidthStayWithinTheBudget(int requested, int width, int expected)
    {
        // Budget 2^24 values: 2^24 / 2^17 = 128 rows; 2^24 / 2^20 = 16; never fewer than 16.
        Assert.Equal(expected, DiagnoseCommand.ProbeRows(requested, [64, width, 10]));
    }
}
