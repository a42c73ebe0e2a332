using System.Text.Json;
using System.Text.RegularExpressions;
using InitLab.Cli.Rendering;

namespace InitLab.Cli.Tests.Commands;

public partial class PracticalsCommandTests
{
    [Fact]
    public void Practicals_WritesResultsAndSelfContainedReport()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "zero-relu", "--case", "constant", "--case", "he", "--out", folder);
        Assert.True(code == 0, error);
        Assert.Contains("4 of 4 runs match", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(4, cases.Count);
        foreach (var c in cases)
        {
            foreach (string key in new[] { "case", "initializer", "activation", "depth", "seeds", "expected_verdict", "observed_verdict", "matches", "final_loss", "accuracy" })
            {
                Assert.True(c.TryGetProperty(key, out _), key);
            }
            var metrics = c.GetProperty("metrics");
            foreach (string key in new[] { "hidden_weight_change", "distinct_hidden_units", "dead_fraction", "saturated_fraction", "grad_norm_per_layer", "activation_std_per_layer", "predicted_activation_std_per_layer" })
            {
                Assert.True(metrics.TryGetProperty(key, out _), key);
            }
        }
        // Every figure is inline (no network, no file references) and is a real PNG; every PNG beside the page is shown.
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        var images = ImagePattern().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(images);
        Assert.All(images, png => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]));
        Assert.Equal(Directory.GetFiles(folder, "*.png").Length, images.Count);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Practicals_NonEmptyOutputFolder_RefusesWithoutForce_AndLosesNothing()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("old");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.html"), "earlier report");
        var (code, _, error) = CliRunner.Run("practicals", "--quick", "--case", "zero-relu", "--out", folder);
        Assert.Equal(2, code);
        Assert.Contains("exists and holds report files that initlab did not mark", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal("earlier report", File.ReadAllText(Path.Combine(folder, "report.html")));
        (code, _, error) = CliRunner.Run("practicals", "--quick", "--case", "zero-relu", "--out", folder, "--force");
        Assert.True(code == 0, error);
        Assert.NotEqual("earlier report", File.ReadAllText(Path.Combine(folder, "report.html")));
    }

    [Fact]
    public void Practicals_SameCommandTwice_SecondRunReplacesTheFirstReport()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        string[] command = ["practicals", "--quick", "--case", "zero-relu", "--out", folder];
        var (code, _, error) = CliRunner.Run(command);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(folder, ReportFolder.MarkerFile)), "the report carries initlab's marker");
        File.WriteAllText(Path.Combine(folder, "report.html"), "first run");
        (code, _, error) = CliRunner.Run(command);
        Assert.True(code == 0, error);
        Assert.NotEqual("first run", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.True(File.Exists(Path.Combine(folder, ReportFolder.MarkerFile)));
    }

    [Fact]
    public void Practicals_MarkedFolderWithAFileOfTheUser_RefusedEvenWithForce_AndLosesNothing()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ReportFolder.MarkerFile), "marker");
        File.WriteAllText(Path.Combine(folder, "report.html"), "earlier report");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        foreach (string[] extra in new[] { Array.Empty<string>(), ["--force"] })
        {
            var (code, _, error) = CliRunner.Run(["practicals", "--quick", "--case", "zero-relu", "--out", folder, .. extra]);
            Assert.Equal(2, code);
            Assert.Contains("holds 'notes.txt', which is not part of a report", error, StringComparison.Ordinal);
        }
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
        Assert.Equal("earlier report", File.ReadAllText(Path.Combine(folder, "report.html")));
    }

    [Fact]
    public void Practicals_UnknownCase_ListsTheCases()
    {
        var (code, _, error) = CliRunner.Run("practicals", "--case", "he-normal", "--out", "unused");
        Assert.Equal(2, code);
        Assert.Contains("Unknown practical case 'he-normal'", error, StringComparison.Ordinal);
        Assert.Contains("depth-sweep", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_DeepReluWithGlorot_WarnsAndRecommendsHe()
    {
        string layers = "256," + string.Join(",", Enumerable.Repeat("256", 30)) + ",10";
        var (code, output, error) = CliRunner.Run("diagnose", "--layers", layers, "--activation", "relu", "--init", "glorot_uniform");
        Assert.True(code == 0, error);
        Assert.Contains("verdict at initialization: VANISHING_GRADIENTS", output, StringComparison.Ordinal);
        Assert.Contains("advice: use he_normal", output, StringComparison.Ordinal);
        Assert.Contains("the weight variance ×2", output, StringComparison.Ordinal);
        (code, output, _) = CliRunner.Run("diagnose", "--layers", layers, "--activation", "relu", "--init", "he_normal");
        Assert.Equal(0, code);
        Assert.Contains("verdict at initialization: healthy", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_InconsistentLayersAndData_SameErrorAsTrain()
    {
        var (code, _, error) = CliRunner.Run("diagnose", "--layers", "5,8,1", "--data", "moons");
        Assert.Equal(2, code);
        Assert.Contains("first width is 5 but the data 'moons (train)' has 2 features", error, StringComparison.Ordinal);
    }

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex ImagePattern();
}

public class PracticalsPapersCommandTests
{
    [Fact]
    public void Practicals_CaseIsometry_ReportsPaperFormulaPredictedAndMeasured()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "isometry", "--out", folder);
        Assert.True(code == 0, error);
        Assert.Contains("12 of 12 runs match", output, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        Assert.Equal(12, json.RootElement.GetProperty("papers").GetArrayLength());
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("Pennington", html, StringComparison.Ordinal);
        Assert.Contains("Var[σ²] = L·(μ₂/μ₁² − 1 + v_W)", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Practicals_CaseLsuvAndBornDead_ReportPapersFormulasAndFigures()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, output, error) = CliRunner.Run("practicals", "--quick", "--case", "lsuv", "--case", "born-dead", "--out", folder);
        Assert.True(code == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var cases = json.RootElement.GetProperty("papers").EnumerateArray().Select(c => c.GetProperty("case").GetString()).ToList();
        Assert.Equal(10, cases.Count(c => c == "lsuv"));
        Assert.Equal(11, cases.Count(c => c == "born-dead"));
        Assert.Contains("runs match", output, StringComparison.Ordinal);
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("Mishkin & Matas 2016", html, StringComparison.Ordinal);
        Assert.Contains("g = 1/√E[φ(z)²]", html, StringComparison.Ordinal);
        Assert.Contains("Lu, Shin, Su & Karniadakis", html, StringComparison.Ordinal);
        Assert.Contains("P(dead at x₀) = 1 − (1 − 2^(−N))^L", html, StringComparison.Ordinal);
        foreach (string figure in new[] { "lsuv-variance.png", "lsuv-gain.png", "lsuv-training-relu.png", "lsuv-training-tanh.png", "born-dead-at-x-.png", "born-dead-on-the-domain.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
            Assert.Contains(figure, html, StringComparison.Ordinal);
        }
    }
}
