using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

public class MeanFieldCommandTests
{
    [Fact]
    public void MeanField_TanhAtTheSchoenholzPoint_PrintsEveryQuantityAndTheCriticalWeightVariance()
    {
        var (code, output, error) = CliRunner.Run("meanfield", "--activation", "tanh", "--sigma-w2", "1.76", "--sigma-b2", "0.05");
        Assert.True(code == 0, error);
        foreach (string label in new[] { "q*", "χ₁", "c*", "χ_c", "ξ_q", "ξ_c", "critical σ_w²" })
        {
            Assert.Contains(label, output, StringComparison.Ordinal);
        }
        Assert.Contains("critical σ_w² at σ_b² = 0.05", output, StringComparison.Ordinal);
        Assert.Matches(@"critical σ_w² at σ_b² = 0\.05\s+1\.7[5-7]", output);
    }

    [Fact]
    public void MeanField_ReluGridAsJsonOnStdout_ChiOneIsHalfTheWeightVarianceAndCriticalIsTwo()
    {
        var (code, output, error) = CliRunner.Run("meanfield", "--activation", "relu", "--sigma-w2", "1:2.5:0.5", "--sigma-b2", "0.1", "--json", "-");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("critical_sigma_w2").GetDouble(), 1e-9);
        JsonElement[] points = [.. json.RootElement.GetProperty("points").EnumerateArray()];
        Assert.Equal([1.0, 1.5, 2.0, 2.5], points.Select(p => p.GetProperty("sigma_w2").GetDouble()));
        foreach (JsonElement p in points)
        {
            Assert.Equal(p.GetProperty("sigma_w2").GetDouble() / 2, p.GetProperty("chi_1").GetDouble(), 1e-12);
        }
        // q* = σ_b²/(1 − σ_w²/2) below 2; no finite fixed point from 2 on (null in JSON, flagged).
        Assert.Equal(0.1 / 0.5, points[0].GetProperty("q_star").GetDouble(), 1e-12);
        Assert.Equal(JsonValueKind.Null, points[3].GetProperty("q_star").ValueKind);
        Assert.True(points[3].GetProperty("q_star_infinite").GetBoolean());
    }

    [Fact]
    public void MeanField_List_PrintsOneTableRowPerValue()
    {
        var (code, output, error) = CliRunner.Run("meanfield", "--sigma-w2", "1,1.5,2,2.5", "--sigma-b2", "0.05");
        Assert.True(code == 0, error);
        Assert.Contains("ordered", output, StringComparison.Ordinal);
        Assert.Contains("chaotic", output, StringComparison.Ordinal);
        Assert.Equal(4, output.Split('\n').Count(line => line.Contains("│ ordered", StringComparison.Ordinal) || line.Contains("│ chaotic", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--sigma-w2", "-1", "--sigma-w2: '-1'")]
    [InlineData("--sigma-w2", "2:1:0.5", "stop 1 below start 2")]
    [InlineData("--sigma-b2", "-0.5", "--sigma-b2: got -0.5")]
    [InlineData("--activation", "softmax", "not elementwise")]
    public void MeanField_BadValue_ExitsTwoNamingTheFlag(string flag, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run("meanfield", flag, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void MeanField_JsonFile_IsWrittenAndTheTableStillPrinted()
    {
        using var folder = new TempDirectory();
        string path = folder.File("mf.json");
        var (code, output, error) = CliRunner.Run("meanfield", "--activation", "tanh", "--sigma-w2", "1.5", "--json", path);
        Assert.True(code == 0, error);
        Assert.Contains("q*", output, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(1.0, json.RootElement.GetProperty("critical_sigma_w2").GetDouble(), 1e-5);
        Assert.Equal("tanh", json.RootElement.GetProperty("activation").GetString());
    }
}
