using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The edge-of-chaos practical against values known independently (Schoenholz et al. 2017).</summary>
public class EdgeOfChaosPracticalTests
{
    [Fact]
    public void Phases_CriticalWeightVariance_Is1Point76()
    {
        // Schoenholz et al. 2017, figure 1: tanh at σ_b² = 0.05 is critical at σ_w² ≈ 1.76.
        var phases = EdgeOfChaosPractical.Phases();
        Assert.Equal(1.76, phases.Single(p => p.Phase == "critical").WeightVariance, 0.01);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_Quick_EveryClaimHolds(int seeds)
    {
        var checks = EdgeOfChaosPractical.Run(seeds, quick: true);
        Assert.Equal(8, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}"));
    }

    [Fact]
    public void Ordered_CorrelationGoesToOne_Chaotic_StaysWellBelow()
    {
        var checks = EdgeOfChaosPractical.Run(seeds: 1, quick: true);
        // Ordered: c* = 1 (χ₁ < 1); chaotic σ_w² = 3: c* < 1, worked by the map's fixed point ≈ 0.31; both far from each other.
        Assert.True(checks.Single(c => c.Variant == "ordered σ_w²=1.2 c").Measured > 0.98);
        Assert.InRange(checks.Single(c => c.Variant == "chaotic σ_w²=3 c").Measured, 0.2, 0.45);
        // Ordered: ξ_c = −1/ln χ_c with χ_c < 1; the fitted scale of the measured decay within a factor 2.
        PaperCheck xi = checks.Single(c => c.Variant == "ordered σ_w²=1.2 ξ_c");
        Assert.InRange(xi.Measured, xi.Predicted / 2, xi.Predicted * 2);
    }
}
