using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>The mup-transfer and coord-check practicals (issue 21) through the CLI: table, results.json, report.html
/// with their figures.</summary>
public class PaperPracticalsMupTests
{
    [Fact]
    public void Practicals_CaseMupTransferAndCoordCheck_ReportChecksAndFigures()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "mup-transfer", "--case", "coord-check", "--out", folder);
        Assert.True(code == 0, error);
        // mup-transfer quick: 3 widths + the shift, for SP and μP; coord-check: 3 layers × (change, init) × 2.
        Assert.Contains("20 of 20 runs match", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var cases = json.RootElement.GetProperty("papers").EnumerateArray().Select(c => c.GetProperty("case").GetString()).ToList();
        Assert.Equal(8, cases.Count(c => c == "mup-transfer"));
        Assert.Equal(12, cases.Count(c => c == "coord-check"));
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("Tensor Programs V", html, StringComparison.Ordinal);
        // The practicals' own figures (the generic trajectory figure would take the same file name "coord-check-change.png").
        Assert.Contains("Best rate per width: 64: 2^-6", html, StringComparison.Ordinal);
        Assert.Contains("Log-log: a slope of 1 is a doubling per doubling of the width.", html, StringComparison.Ordinal);
        foreach (string figure in new[] { "mup-transfer-sp.png", "mup-transfer-mup.png", "coord-check-change.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
            Assert.Contains($"({figure})", html, StringComparison.Ordinal);
        }
    }
}
