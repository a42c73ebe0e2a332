using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The norm-rescue practical (issue 21): normalization rescues some bad inits and not others.</summary>
public class NormRescuePracticalTests
{
    [Fact]
    public void Run_ThreeSeeds_EveryClaimHolds()
    {
        var checks = NormRescuePractical.Run(seeds: 3, quick: false);
        Assert.Equal(12, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured} [{string.Join(", ", c.PerSeed)}] ({c.Criterion})"));
        Assert.All(checks, c => Assert.Equal(3, c.PerSeed.Count));
    }

    [Fact]
    public void SmallRandom_KerasEpsilon_SignalShrinksByNSigmaSquaredOverEpsilonPerLayer()
    {
        // n·σ²/ε = 64·0.0007²/0.001 = 64·4.9e-7/1e-3 = 0.03136, worked by hand.
        var (train, test) = NormRescuePractical.Data();
        PaperCheck collapse = NormRescuePractical.SmallRandom(3, train, test).Single(c => c.Variant.EndsWith("collapse", StringComparison.Ordinal));
        Assert.Equal(0.03136, collapse.Predicted, 10);
        Assert.InRange(collapse.Measured, 0.03136 * 0.9, 0.03136 * 1.1);
        Assert.True(collapse.Passed);
        // Nine layers at ≈ 0.031 each: the last BN output is ≈ 10⁻¹³·⁵ of the first's.
        Assert.InRange(collapse.MeasuredTrajectory[^1] / collapse.MeasuredTrajectory[0], 1e-15, 1e-12);
    }

    [Fact]
    public void ZeroSymmetry_ThreeSeeds_EveryLayerHasOneDistinctUnit()
    {
        var (train, test) = NormRescuePractical.Data();
        PaperCheck check = NormRescuePractical.ZeroSymmetry(3, train, test);
        Assert.All(check.PerSeed, d => Assert.Equal(1, d));
        Assert.True(check.Passed);
    }
}
