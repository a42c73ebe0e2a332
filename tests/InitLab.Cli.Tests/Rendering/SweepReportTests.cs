using System.Text.Json;
using InitLab.Cli.Rendering;

namespace InitLab.Cli.Tests.Rendering;

public sealed class SweepReportTests
{
    private static readonly SweepReportOptions s_options = new(Chance: 0.1, TrainableAccuracy: 0.55, ThresholdKey: "accuracy", Threshold: 0.5);

    [Fact]
    public void Write_DepthVsInit_FiguresPerActivation_BestLrPerCellInJson()
    {
        using var dir = new TempDirectory();

        var outcome = SweepReport.Write(dir.Path, SweepReportFixtures.Sweep, SweepReportFixtures.DepthVsInit(), s_options);

        // Per activation: accuracy heatmap, accuracy-vs-depth curves, time to threshold.
        Assert.Equal(6, outcome.Figures.Count);
        Assert.All(outcome.Figures, f => Assert.True(new FileInfo(dir.File(f.File)).Length > 1000, f.File));
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("results.json")));
        var best = json.RootElement.GetProperty("best_per_cell").EnumerateArray()
            .Single(c => c.GetProperty("activation").GetString() == "relu" && c.GetProperty("init").GetString() == "he_normal" && c.GetProperty("depth").GetString() == "5");
        // lr 0.1 adds 0.05, so it wins every cell: 0.9 − 0.1 + 0.05 = 0.85, seeds 0.84/0.85/0.86 → SE = 0.01/√3.
        Assert.Equal("0.1", best.GetProperty("best_settings").GetProperty("lr").GetString());
        Assert.Equal(0.85, best.GetProperty("test_accuracy").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(0.01 / Math.Sqrt(3), best.GetProperty("test_accuracy").GetProperty("se").GetDouble(), 12);
        string html = File.ReadAllText(dir.File("report.html"));
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("id=\"sweep-data\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PhaseDiagram_TableComparesMeasuredDepthWithTheory()
    {
        using var dir = new TempDirectory();

        var outcome = SweepReport.Write(dir.Path, SweepReportFixtures.Sweep, SweepReportFixtures.PhaseDiagram(), s_options);

        var diagram = Assert.Single(outcome.Diagrams);
        Assert.Equal(SweepReportFixtures.TrainableUpTo.Select(t => (double?)t.Limit), diagram.Columns.Select(c => c.MaxTrainableDepth));
        Assert.Contains(outcome.Figures, f => f.File == "phase-diagram-tanh.png");
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("results.json")));
        var columns = json.RootElement.GetProperty("phase_diagrams")[0].GetProperty("columns");
        Assert.Equal(5, columns.GetArrayLength());
        foreach (var column in columns.EnumerateArray())
        {
            double theory = column.GetProperty("theory_depth").GetDouble(), measured = column.GetProperty("max_trainable_depth").GetDouble();
            Assert.Equal(measured / theory, column.GetProperty("ratio").GetDouble(), 12);
        }
    }

    [Fact]
    public void Write_PhaseDiagramThresholdNeverReached_StillDrawsBothFigures()
    {
        using var dir = new TempDirectory();
        // The fixture's accuracy tops out at 0.95, so no trial ever reaches 0.99: every time-to-threshold cell is empty.
        var options = s_options with { Threshold = 0.99 };

        var outcome = SweepReport.Write(dir.Path, SweepReportFixtures.Sweep, SweepReportFixtures.PhaseDiagram(), options);

        Assert.Equal(["phase-diagram-tanh.png", "time-to-threshold-sigma-w2-depth-tanh.png"], outcome.Figures.Select(f => f.File));
        Assert.DoesNotContain("No phase diagram", File.ReadAllText(dir.File("report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PageData_EscapesScriptEnd()
    {
        var trials = SweepReportFixtures.DepthVsInit().Select(t => t with
        {
            Spec = new Sweeps.TrialSpec(t.Spec.Settings.ToDictionary(kv => kv.Key, kv => kv.Key == "data" ? "</script><b>x" : kv.Value), t.Spec.Seed),
        }).ToList();
        using var dir = new TempDirectory();

        SweepReport.Write(dir.Path, SweepReportFixtures.Sweep, trials, s_options);

        string html = File.ReadAllText(dir.File("report.html"));
        Assert.DoesNotContain("</script><b>x", html, StringComparison.Ordinal);
    }
}
