using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>The finite-width and deep-linear paper practicals through the CLI: table, results.json, report.html.</summary>
public class PaperPracticalsFiniteWidthDeepLinearTests
{
    [Fact]
    public void Practicals_CaseFiniteWidth_ReportsPaperFormulaPredictedMeasuredAndFigures()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "finite-width", "--out", folder);
        Assert.True(code == 0, error);
        Assert.Contains("8 of 8 runs match", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        Assert.Equal(8, json.RootElement.GetProperty("papers").GetArrayLength());
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("Hanin & Rolnick 2018", html, StringComparison.Ordinal);
        Assert.Contains("Var[ln ‖a_L‖²] = Σ_j v(n_j)", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "finite-width-spread.png")));
        Assert.True(File.Exists(Path.Combine(folder, "finite-width-signal.png")));
        Assert.Contains("0.7737", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Practicals_CaseDeepLinear_ReportsPaperFormulaPredictedMeasuredAndFigures()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "deep-linear", "--out", folder);
        Assert.True(code == 0, error);
        Assert.Contains("7 of 7 runs match", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        Assert.Equal(7, json.RootElement.GetProperty("papers").GetArrayLength());
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("Saxe, McClelland & Ganguli 2014", html, StringComparison.Ordinal);
        Assert.Contains("t_α = (τ/2s_α)·ln(s_α/u₀ − 1)", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "deep-linear-modes.png")));
        Assert.True(File.Exists(Path.Combine(folder, "deep-linear-depth.png")));
    }
}
