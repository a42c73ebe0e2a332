using InitLab.Cli.Tests.Rendering;
using InitLab.Sweeps;
using InitLab.Sweeps.Store;

namespace InitLab.Cli.Tests.Commands;

public sealed class SweepReportCommandTests
{
    /// <summary>A SQLite store holding the fixture trials as if workers had run them.</summary>
    private static string Store(TempDirectory dir, string sweepName, IReadOnlyList<TrialRecord> trials)
    {
        string path = dir.File("sweeps.db");
        using var store = new SqliteSweepStore(path);
        SweepInfo sweep = store.EnsureSweep(sweepName, "{}");
        store.AddTrials(sweep.Id, trials.Select(t => t.Spec));
        var results = trials.ToDictionary(t => (t.Spec.ConfigHash, t.Spec.Seed), t => t.Result!);
        while (store.Claim(sweep.Id, "test", TimeSpan.FromMinutes(5), 3) is TrialRecord claimed)
        {
            Assert.True(store.Complete(claimed.Id, "test", claimed.Attempts, results[(claimed.Spec.ConfigHash, claimed.Spec.Seed)]));
        }
        return path;
    }

    [Fact]
    public void Report_PhaseDiagramStore_WritesPageAndPrintsMeasuredVersusTheory()
    {
        using var dir = new TempDirectory();
        string store = Store(dir, "phase", SweepReportFixtures.PhaseDiagram());
        string folder = dir.File("report");

        var (code, output, error) = CliRunner.Run("sweep", "report", "--store", store, "--out", folder);

        Assert.True(code == 0, error);
        // Digits: the majority class (3) holds 183 of 1797 rows (counted in data/digits.csv) → chance 10.2 %.
        Assert.Contains("chance 10.2 %", output, StringComparison.Ordinal);
        Assert.Contains("critical σ_w² = 1.761", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "report.html")));
        Assert.True(File.Exists(Path.Combine(folder, "phase-diagram-tanh.png")));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".report.*"));
    }

    [Fact]
    public void Report_MissingStore_UsageErrorNothingCreated()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = CliRunner.Run("sweep", "report", "--store", dir.File("nope.db"), "--out", dir.File("r"));

        Assert.Equal(2, code);
        Assert.Contains("--store", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("nope.db")));
        Assert.False(Directory.Exists(dir.File("r")));
    }

    [Fact]
    public void Report_MisspelledSweepName_SuggestsTheStoredOne()
    {
        using var dir = new TempDirectory();
        string store = Store(dir, "depth-vs-init", SweepReportFixtures.DepthVsInit().Take(6).ToList());

        var (code, _, error) = CliRunner.Run("sweep", "report", "--store", store, "--name", "depth-vs-unit", "--out", dir.File("r"));

        Assert.Equal(2, code);
        Assert.Contains("depth-vs-init", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_BadThresholdMetric_NamesTheValidOnes()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = CliRunner.Run("sweep", "report", "--store", dir.File("x.db"), "--threshold-metric", "acuracy");

        Assert.Equal(2, code);
        Assert.Contains("accuracy", error, StringComparison.Ordinal);
        Assert.Contains("--threshold-metric", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_LossThresholdWithoutLevel_AsksForOne()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = CliRunner.Run("sweep", "report", "--store", dir.File("x.db"), "--threshold-metric", "val_loss");

        Assert.Equal(2, code);
        Assert.Contains("--threshold", error, StringComparison.Ordinal);
        Assert.Contains("val_loss", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_TrainableAccuracyBelowChance_Refused()
    {
        using var dir = new TempDirectory();
        string store = Store(dir, "phase", SweepReportFixtures.PhaseDiagram().Take(4).ToList());

        var (code, _, error) = CliRunner.Run("sweep", "report", "--store", store, "--out", dir.File("r"), "--chance", "0.1", "--trainable-accuracy", "0.05");

        Assert.Equal(2, code);
        Assert.Contains("--trainable-accuracy", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("r")));
    }

    /// <summary>--chance is checked with the other flags when the command line is parsed, so it is refused before the
    /// store is even looked for (it used to be checked after the store was read).</summary>
    [Fact]
    public void Report_ChanceOutOfRange_RefusedBeforeTheStoreIsRead()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = CliRunner.Run("sweep", "report", "--store", dir.File("missing.db"), "--out", dir.File("r"), "--chance", "1.5");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --chance: got 1.5; it must be in [0, 1).", error, StringComparison.Ordinal);
    }
}
