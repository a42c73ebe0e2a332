using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>The residual-depth and norm-rescue practicals (issue 21) through the CLI: table, results.json, report.html
/// with their figures.</summary>
public class PaperPracticalsResidualNormTests
{
    [Fact]
    public void Practicals_CaseResidualDepthAndNormRescue_ReportChecksAndFigures()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "residual-depth", "--case", "norm-rescue", "--out", folder);
        Assert.True(code == 0, error);
        // 15 signal checks and 5 training checks (quick: 100 blocks only), and norm-rescue's 12.
        Assert.Contains("32 of 32 runs match", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var cases = json.RootElement.GetProperty("papers").EnumerateArray().Select(c => c.GetProperty("case").GetString()).ToList();
        Assert.Equal(20, cases.Count(c => c == "residual-depth"));
        Assert.Equal(12, cases.Count(c => c == "norm-rescue"));
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("Fixup", html, StringComparison.Ordinal);
        Assert.Contains("x̂ = (x − μ)/√(v + ε)", html, StringComparison.Ordinal);
        foreach (string figure in new[] { "residual-depth-signal-10.png", "residual-depth-signal-50.png", "residual-depth-signal-100.png", "residual-depth-training.png", "norm-rescue-glorot.png", "norm-rescue-epsilon.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
            Assert.Contains($"({figure})", html, StringComparison.Ordinal);
        }
    }
}
