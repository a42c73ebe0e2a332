using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>The deep-cnn practical (issue 22) through the CLI: table, results.json, report.html with its figures.</summary>
public class PaperPracticalsDeepCnnTests
{
    [Fact]
    public void Practicals_CaseDeepCnn_Quick_ReportsChecksAndFigures()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "deep-cnn", "--out", folder);
        Assert.True(code == 0, error);
        // 6 signal checks (3 inits × depths 10, 30) and 3 training checks (quick: depth 30 only).
        Assert.Contains("9 of 9 runs match", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var papers = json.RootElement.GetProperty("papers").EnumerateArray().ToList();
        Assert.Equal(9, papers.Count(c => c.GetProperty("case").GetString() == "deep-cnn"));
        var glorot = papers.Single(c => c.GetProperty("variant").GetString() == "glorot_uniform@30 training");
        Assert.All(glorot.GetProperty("measured_per_seed").EnumerateArray(), loss => Assert.True(loss.GetDouble() >= 0.98 * Math.Log(10)));
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("delta-orthogonal", html, StringComparison.Ordinal);
        Assert.Contains("E[relu(z)²] = ½E[z²]", html, StringComparison.Ordinal);
        foreach (string figure in new[] { "deep-cnn-signal-10.png", "deep-cnn-signal-30.png", "deep-cnn-training.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
            Assert.Contains($"({figure})", html, StringComparison.Ordinal);
        }
    }
}
