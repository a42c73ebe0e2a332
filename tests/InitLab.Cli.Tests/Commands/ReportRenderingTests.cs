using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using InitLab.Tests.TestUtilities;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 10 §5: the report as a browser shows it, checked in headless Chromium by scripts/check-report.sh.</summary>
public partial class ReportRenderingTests
{
    /// <summary>
    /// Three cases whose figures are counted by hand: zero-relu 3 (loss, activation std, gradient) + 1 decision boundary;
    /// depth-sweep (quick: 2 depths × 2 initializers) 3 + 4 boundaries + 1 propagation band; glorot-bengio 3 + 2
    /// histograms + 2 boundaries. 4 + 8 + 7 = 19.
    /// </summary>
    [ChromiumFact]
    public void Report_InChromiumAt1280And800_EveryFigureDecodes_NothingOverflows_EveryCaptionHasNumbers()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var (code, _, error) = CliRunner.Run("practicals", "--quick", "--case", "zero-relu", "--case", "depth-sweep", "--case", "glorot-bengio", "--out", folder);
        Assert.True(code == 0, error);
        string report = Path.Combine(folder, "report.html");

        string html = File.ReadAllText(report);
        var captions = CaptionPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(19, captions.Count);
        // A caption says what to see with the measured numbers, not just the file name.
        Assert.All(captions, c => Assert.Matches(@"\d.*\d", c));
        Assert.All(captions, c => Assert.True(c.Length > 60, c));
        Assert.Contains(captions, c => c.Contains("Under Glorot + ReLU the activation variance halves at every layer", StringComparison.Ordinal));
        Assert.Contains(captions, c => c.Contains("flat on the ln 2 line", StringComparison.Ordinal));

        var start = new ProcessStartInfo("bash", [RepositoryRoot.Combine("scripts", "check-report.sh"), report, Path.Combine(folder, "shot")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WIDTHS"] = "1280 800";
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
        foreach (string width in new[] { "1280", "800" })
        {
            Assert.Contains($"width {width}: figures decoded 19/19; elements past the right edge: 0; scroll/client width {width}/{width}", output, StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(folder, $"shot-{width}.png")).Length > 10_000, $"screenshot at {width} px is (nearly) empty");
        }
    }

    [GeneratedRegex("<figcaption>(.*?) <span class=\"small\">", RegexOptions.Singleline)]
    private static partial Regex CaptionPattern();
}
