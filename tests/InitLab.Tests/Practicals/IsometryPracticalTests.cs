using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The isometry practical against numbers worked out independently of the code (Pennington et al. 2017).</summary>
public class IsometryPracticalTests
{
    [Fact]
    public void LinearOrthogonal_Depth32_EverySingularValueIsOne()
    {
        PaperCheck check = IsometryPractical.Check("linear", orthogonal: true, depth: 32, width: 64, seeds: 3);
        // A product of orthogonal matrices is orthogonal: σ = 1 exactly, up to float32 rounding over 32 products.
        Assert.All(check.Samples, s => Assert.InRange(s, 1 - 1e-4, 1 + 1e-4));
        Assert.True(check.Passed);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void LinearGaussian_SpreadIsAboutTheDepth(int depth)
    {
        // Product of L Gaussian layers with variance 1/n: E[σ²] = 1 and Var[σ²] → L as n → ∞ (free multiplicative
        // convolution of L Marchenko–Pastur laws, each of variance 1). Width 128 and 3 seeds: within 35%.
        PaperCheck check = IsometryPractical.Check("linear", orthogonal: false, depth, width: 128, seeds: 3);
        Assert.InRange(check.Measured, 0.65 * depth, 1.35 * depth);
        Assert.True(check.Passed);
    }

    [Fact]
    public void Tanh_AtCriticality_OrthogonalIsIsometric_GaussianIsNot()
    {
        var orthogonal = IsometryPractical.Check("tanh", orthogonal: true, depth: 32, width: 128, seeds: 3);
        var gaussian = IsometryPractical.Check("tanh", orthogonal: false, depth: 32, width: 128, seeds: 3);
        Assert.True(orthogonal.Passed && gaussian.Passed);
        Assert.True(orthogonal.Measured < 0.2 * gaussian.Measured, $"orthogonal {orthogonal.Measured}, Gaussian {gaussian.Measured}");
    }

    [Fact]
    public void PredictedVariance_KnownCases()
    {
        // ReLU: φ′² is 0 or 1 with probability 1/2, so μ₁ = μ₂ = 1/2 and μ₂/μ₁² = 2: orthogonal L, Gaussian 2L.
        Assert.Equal(32, IsometryPractical.PredictedVariance("relu", orthogonal: true, 32, 1), 6);
        Assert.Equal(64, IsometryPractical.PredictedVariance("relu", orthogonal: false, 32, 1), 6);
        Assert.Equal(0, IsometryPractical.PredictedVariance("linear", orthogonal: true, 32, 1));
        Assert.Equal(32, IsometryPractical.PredictedVariance("linear", orthogonal: false, 32, 1));
    }

    [Fact]
    public void Run_Quick_ThreeSeeds_EveryClaimHolds()
    {
        var checks = IsometryPractical.Run(seeds: 3, quick: true);
        Assert.Equal(12, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}"));
    }
}
