using InitLab.Sweeps.Analysis;

namespace InitLab.Sweeps.Tests.Analysis;

public sealed class HeatmapGridTests
{
    private static IReadOnlyList<ConfigurationGroup> Groups()
    {
        var trials = new List<TrialRecord>();
        // init × depth × lr, two seeds; accuracy = base(init) − 0.01·depth + (lr = 0.1 ? 0.05 : 0) + seed offset ±0.01.
        foreach (string init in new[] { "he_normal", "glorot_uniform" })
        {
            foreach (int depth in new[] { 2, 10 })
            {
                foreach (double lr in new[] { 0.01, 0.1 })
                {
                    for (ulong seed = 1; seed <= 2; seed++)
                    {
                        double accuracy = (init == "he_normal" ? 0.8 : 0.7) - 0.01 * depth + (lr == 0.1 ? 0.05 : 0) + (seed == 1 ? -0.01 : 0.01);
                        trials.Add(SweepFixtures.Done(SweepFixtures.Settings(("init", init), ("depth", depth), ("lr", lr), ("activation", "relu")), seed, accuracy));
                    }
                }
            }
        }
        trials.Add(SweepFixtures.Failed(SweepFixtures.Settings(("init", "he_normal"), ("depth", 2), ("lr", 0.1), ("activation", "relu")), 3));
        return SweepAnalysis.GroupBySeeds(trials);
    }

    [Fact]
    public void GroupBySeeds_EightConfigurations_SeedsTogether()
    {
        var groups = Groups();

        Assert.Equal(8, groups.Count);
        Assert.All(groups, g => Assert.True(g.Trials.Count is 2 or 3));
        Assert.Equal(["depth", "init", "lr"], SweepAnalysis.Axes(groups).Select(a => a.Name));
        Assert.Equal("relu", SweepAnalysis.SharedValue(groups, "activation"));
        Assert.Null(SweepAnalysis.SharedValue(groups, "depth"));
    }

    [Fact]
    public void Axes_NumericValues_SortedByNumberNotText()
    {
        ObservedAxis axis = ObservedAxis.Of("depth", ["10", "2", "30", "2"]);

        Assert.True(axis.IsNumeric);
        Assert.Equal(["2", "10", "30"], axis.Values);
    }

    [Fact]
    public void Build_FreeLearningRate_CellIsBestLrWithItsSeedStatistics()
    {
        HeatmapGrid grid = HeatmapGrid.Build(Groups(), "depth", "init", TrialMetric.TestAccuracy);

        Assert.Equal(["2", "10"], grid.X.Values);
        Assert.Equal(["glorot_uniform", "he_normal"], grid.Y.Values);
        HeatmapCell cell = grid[0, 1]!; // depth 2, he_normal
        Assert.Equal("0.1", cell.Best["lr"]);
        Assert.Equal(2, cell.Candidates);
        // 0.8 − 0.02 + 0.05 = 0.83 ± 0.01: seeds 0.82 and 0.84 (the failed third seed counts in the total only): mean 0.83, SE = sd/√2 = 0.01414/√2 = 0.01.
        Assert.Equal(0.83, cell.Summary.Mean, 12);
        Assert.Equal(0.01, cell.Summary.StandardError, 12);
        Assert.Equal(2, cell.Summary.Count);
        Assert.Equal(3, cell.Summary.Total);
        Assert.Equal(0.7 - 0.1 + 0.05, grid[1, 0]!.Summary.Mean, 12); // depth 10, glorot
    }

    [Fact]
    public void Build_Filtered_HoldsTheSetting()
    {
        HeatmapGrid grid = HeatmapGrid.Build(Groups(), "depth", "init", TrialMetric.TestLoss, new Dictionary<string, string> { ["lr"] = "0.01" });

        Assert.All(grid.Cells(), c => Assert.Equal("0.01", c.Best["lr"]));
        Assert.All(grid.Cells(), c => Assert.Equal(1, c.Candidates));
    }

    [Fact]
    public void Build_FilterMatchesNothing_SaysWhich()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            HeatmapGrid.Build(Groups(), "depth", "init", TrialMetric.TestLoss, new Dictionary<string, string> { ["lr"] = "7" }));

        Assert.Contains("lr=7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingCombination_CellIsNull()
    {
        var trials = new[]
        {
            SweepFixtures.Done(SweepFixtures.Settings(("init", "a"), ("depth", 2)), 1, 0.5),
            SweepFixtures.Done(SweepFixtures.Settings(("init", "b"), ("depth", 3)), 1, 0.6),
        };

        HeatmapGrid grid = HeatmapGrid.Build(SweepAnalysis.GroupBySeeds(trials), "depth", "init", TrialMetric.TestAccuracy);

        Assert.Null(grid[1, 0]);
        Assert.Equal(0.5, grid[0, 0]!.Summary.Mean);
        Assert.Equal(2, grid.Cells().Count());
    }
}
