using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The orthogonal-rnn practical (issue 22): unrolled Jacobian spectra of a tanh SimpleRNN against the exact
/// orthogonal case and the circular-law fraction worked by hand.</summary>
public class OrthogonalRnnPracticalTests
{
    [Fact]
    public void PredictedGaussianFraction_T100_ByHand()
    {
        // |λ| ≥ 2^(−1/100) keeps σ ≥ ½: area 1 − 2^(−2/100) = 1 − e^(−0.0138629) = 0.0137672 of the unit disk.
        Assert.Equal(0.0137672, OrthogonalRnnPractical.PredictedGaussianFraction(100), 6);
    }

    [Fact]
    public void Run_ThreeSeeds_OrthogonalIsometricGaussianSpreadDrivenShrinksByTanhDerivative()
    {
        var checks = OrthogonalRnnPractical.Run(seeds: 3, quick: false).ToDictionary(c => c.Variant);
        Assert.All(checks.Values, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured} ({c.Criterion})"));
        // Zero input, orthogonal: all 64 singular values of (Uᵀ)^100 are 1 up to float rounding of U (≤ 100·δ ≈ 1e-5).
        PaperCheck exact = checks["orthogonal@zero-input"];
        Assert.Equal(OrthogonalRnnPractical.Units, exact.Samples.Count);
        Assert.All(exact.Samples, s => Assert.Equal(1, s, 1e-5));
        Assert.All(exact.MeasuredTrajectory, m => Assert.Equal(1, m, 1e-5));
        // Gaussian: at most 10 % of σ in [½, 2] on every seed (orthogonal: all of them), and σ_max far above 1.
        foreach (string v in new[] { "gaussian@zero-input", "gaussian@driven" })
        {
            Assert.Equal(3, checks[v].PerSeed.Count);
            Assert.All(checks[v].PerSeed, f => Assert.True(f <= 0.1, $"{v}: fraction {f}"));
        }
        Assert.True(checks["gaussian@zero-input"].Samples[0] > 10, $"σ_max {checks["gaussian@zero-input"].Samples[0]}");
        // Driven orthogonal: the prediction Π mean tanh′² falls every step, and E[σ²] after 100 steps is far below 1.
        PaperCheck driven = checks["orthogonal@driven"];
        Assert.All(driven.PredictedTrajectory.Zip(driven.PredictedTrajectory.Skip(1)), p => Assert.True(p.Second < p.First));
        Assert.True(driven.Measured < 1e-3, $"E[σ²] {driven.Measured}");
    }
}
