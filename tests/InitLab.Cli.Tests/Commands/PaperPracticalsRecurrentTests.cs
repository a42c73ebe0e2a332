using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>The irnn, forget-bias and orthogonal-rnn practicals (issue 22) through the CLI: table, results.json,
/// report.html with their figures.</summary>
public class PaperPracticalsRecurrentTests
{
    [Fact]
    public void Practicals_CaseRecurrent_ReportChecksAndFigures()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "irnn", "--case", "forget-bias", "--case", "orthogonal-rnn", "--out", folder);
        Assert.True(code == 0, error);
        // irnn 3 (glorot-relu disagrees with the claim: it learns with Adam), forget-bias 3, orthogonal-rnn 4.
        Assert.Contains("9 of 10 runs match", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var cases = json.RootElement.GetProperty("papers").EnumerateArray().Select(c => c.GetProperty("case").GetString()).ToList();
        Assert.Equal(3, cases.Count(c => c == "irnn"));
        Assert.Equal(3, cases.Count(c => c == "forget-bias"));
        Assert.Equal(4, cases.Count(c => c == "orthogonal-rnn"));
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("Le, Jaitly & Hinton 2015", html, StringComparison.Ordinal);
        Assert.Contains("Mean squared singular value of the unrolled Jacobian", html, StringComparison.Ordinal);
        foreach (string figure in new[] { "irnn-training.png", "forget-bias-training.png", "orthogonal-rnn-norm.png", "orthogonal-rnn-spectrum.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
            Assert.Contains($"({figure})", html, StringComparison.Ordinal);
        }
    }
}
