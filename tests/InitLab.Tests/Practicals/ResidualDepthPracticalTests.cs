using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The residual-depth practical (issue 21) against growth factors worked out by hand.</summary>
public class ResidualDepthPracticalTests
{
    [Fact]
    public void PredictedGrowth_ByHand()
    {
        // He without a residual init: Var F = Var x, ×2 per block: 2¹⁰ = 1024 after 10 blocks.
        Assert.Equal(1024, ResidualDepthPractical.PredictedGrowth("none", 10, 0.5)[^1], 9);
        // scaled: (1 + 1/(2·10))^10 = 1.05^10 = 1.628894627 (and → √e = 1.6487 as L grows).
        Assert.Equal(1.628894627, ResidualDepthPractical.PredictedGrowth("scaled", 10, 0.5)[^1], 8);
        Assert.Equal(Math.Sqrt(Math.E), ResidualDepthPractical.PredictedGrowth("scaled", 100000, 0.5)[^1], 4);
        // BN: q_L = q_0 + L → 1 + 10/0.5 = 21.
        Assert.Equal(21, ResidualDepthPractical.PredictedGrowth("batchnorm", 10, 0.5)[^1], 12);
        Assert.All(ResidualDepthPractical.PredictedGrowth("fixup", 10, 0.5), v => Assert.Equal(1, v));
    }

    [Theory]
    [InlineData("none", 10)]
    [InlineData("none", 50)]
    [InlineData("scaled", 50)]
    [InlineData("batchnorm", 50)]
    [InlineData("fixup", 50)]
    [InlineData("skipinit", 10)]
    public void Signal_ThreeSeeds_OneStepIncrementsMatchAndGrowthAsClaimed(string scheme, int depth)
    {
        var (_, probe) = ResidualDepthPractical.Data();
        PaperCheck check = ResidualDepthPractical.Signal(scheme, depth, seeds: 3, probe);
        Assert.True(check.Passed, $"{check.Id}: predicted {check.Predicted}, measured {check.Measured} ({check.Criterion})");
        Assert.Equal(3, check.PerSeed.Count);
        Assert.Equal(depth + 1, check.MeasuredTrajectory.Count);
        if (scheme == "none")
        {
            // Every seed's growth is at least 2^(L/2): exploding, as 2^L says.
            Assert.All(check.PerSeed, g => Assert.True(g >= Math.Pow(2, depth / 2.0), $"growth {g}"));
        }
    }

    [Theory]
    [InlineData("fixup")]
    [InlineData("skipinit")]
    [InlineData("scaled")]
    [InlineData("batchnorm")]
    public void Training_TenBlocks_ThreeSeeds_CuredNetsTrain(string scheme)
    {
        var (train, _) = ResidualDepthPractical.Data();
        PaperCheck check = ResidualDepthPractical.Training(scheme, 10, seeds: 3, train);
        Assert.All(check.PerSeed, loss => Assert.True(loss <= Math.Log(10) / 2, $"{scheme}: loss {loss}"));
        Assert.True(check.Passed);
    }

    [Fact]
    public void Training_HundredBlocks_ThreeSeeds_NoneFailsAndFixupTrains()
    {
        var (train, _) = ResidualDepthPractical.Data();
        PaperCheck none = ResidualDepthPractical.Training("none", 100, seeds: 3, train);
        PaperCheck fixup = ResidualDepthPractical.Training("fixup", 100, seeds: 3, train);
        Assert.All(none.PerSeed, loss => Assert.False(loss <= Math.Log(10) / 2, $"none: loss {loss}"));
        Assert.True(none.Passed && fixup.Passed, $"none {none.Measured}, fixup {fixup.Measured}");
    }
}
