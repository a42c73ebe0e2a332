using InitLab.Initializers;
using InitLab.Practicals.Papers;
using InitLab.Random;

namespace InitLab.Tests.Practicals;

/// <summary>The finite-width practical against values worked out independently of the code (Hanin &amp; Rolnick 2018).</summary>
public class FiniteWidthPracticalTests
{
    [Fact]
    public void LogRatioVariance_Width2_MatchesHandWorkedValue()
    {
        // n = 2, given K ≥ 1: K = 1 with probability 2/3, K = 2 with 1/3. ln χ²_1 has variance ψ′(½) = π²/2 and mean
        // ψ(½) + ln 2 = −γ − ln 2; ln χ²_2 has variance ψ′(1) = π²/6 and mean −γ + ln 2. Law of total variance:
        // 2/3·π²/2 + 1/3·π²/6 + (2/3)(1/3)(2 ln 2)² = 4.26524883…
        double expected = 2.0 / 3 * Math.PI * Math.PI / 2 + 1.0 / 3 * Math.PI * Math.PI / 6 + 2.0 / 9 * Math.Pow(2 * Math.Log(2), 2);
        Assert.Equal(expected, FiniteWidthPractical.LogRatioVariance(2), 12);
    }

    [Fact]
    public void LogRatioVariance_LargeWidth_IsFiveOverWidthPlusOrderOneOverWidthSquared()
    {
        // χ²_K ≈ K + √(2K)·N(0,1) and K ≈ n/2 ± √n/2: Var[ln χ²_K] ≈ 2/(n/2) + (n/4)/(n/2)² = 5/n, the constant behind
        // Hanin & Rolnick's E[M_L²]/M_0² = Π(1 + 5/n_j) ≈ e^{5β}. The rest is O(1/n²): n·v(n) − 5 shrinks tenfold per decade.
        double Excess(int n) => n * FiniteWidthPractical.LogRatioVariance(n) - 5;
        Assert.InRange(Excess(10_000), 0, 0.01);
        Assert.InRange(Excess(100) / Excess(1000), 8, 12);
        Assert.InRange(Excess(1000) / Excess(10_000), 8, 12);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void LogRatioVariance_MatchesMonteCarloOfOneReluLayer(int width)
    {
        // The layer's ratio simulated directly, without a network: (2/n)·Σ_i relu(g_i)² with g_i ~ N(0, 1); the 2/n only
        // shifts the log. Zeros (no active unit) are left out, as in v(n). Within 4 SE of the sample variance.
        var rng = new Rng(7);
        var logs = new List<double>();
        for (int draw = 0; draw < 100_000; draw++)
        {
            double sum = 0;
            for (int i = 0; i < width; i++)
            {
                double g = rng.NextNormal();
                sum += g > 0 ? g * g : 0;
            }
            if (sum > 0)
            {
                logs.Add(Math.Log(sum));
            }
        }
        double mean = logs.Average();
        double variance = logs.Sum(v => (v - mean) * (v - mean)) / (logs.Count - 1);
        double fourth = logs.Sum(v => Math.Pow(v - mean, 4)) / logs.Count;
        double standardError = Math.Sqrt((fourth - variance * variance * (logs.Count - 3) / (logs.Count - 1)) / logs.Count);
        Assert.InRange(FiniteWidthPractical.LogRatioVariance(width), variance - 4 * standardError, variance + 4 * standardError);
    }

    [Fact]
    public void Architectures_AlternatingWidths_SameNeuronsAsConstantButLargerBeta()
    {
        int[] constant = FiniteWidthPractical.Architectures.Single(a => a.Name == FiniteWidthPractical.SameNeuronsArchitecture).Widths;
        int[] alternating = FiniteWidthPractical.Architectures.Single(a => a.Widths.Distinct().Count() > 1).Widths;
        Assert.Equal(constant.Sum(), alternating.Sum());
        Assert.Equal(constant.Length, alternating.Length);
        Assert.Equal(16.0 / 32, FiniteWidthPractical.Beta(constant), 12);
        Assert.Equal(8.0 / 12 + 8.0 / 52, FiniteWidthPractical.Beta(alternating), 12);
        Assert.True(FiniteWidthPractical.PredictedLogVariance(alternating) > 1.5 * FiniteWidthPractical.PredictedLogVariance(constant));
    }

    [Fact]
    public void TruncationChecks_PredictionIsTheTruncatedVarianceToTheDepth()
    {
        // The reference (initializers.md): a unit normal cut at ±2 has variance 0.77374130354992325 (std 0.8796).
        var checks = FiniteWidthPractical.TruncationChecks(seeds: 1);
        PaperCheck uncorrected = checks.Single(c => c.Variant.Contains("uncorrected", StringComparison.Ordinal));
        Assert.Equal(Math.Pow(0.77374130354992325, FiniteWidthPractical.TruncationDepth), uncorrected.Predicted, 12);
        Assert.Equal(0.77374130354992325, checks.Single(c => c.Variant.EndsWith("factor", StringComparison.Ordinal)).Predicted, 12);
        Assert.Equal(1, checks.Single(c => c.Variant.StartsWith("he_normal", StringComparison.Ordinal)).Predicted);
        // Measured: the per-layer factor within 1% of 0.7737 and far from both 1 (corrected) and 0.8796 (std instead of variance).
        Assert.InRange(checks.Single(c => c.Variant.EndsWith("factor", StringComparison.Ordinal)).Measured, 0.766, 0.782);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}"));
    }

    [Fact]
    public void SpreadCheck_SameSeeds_SameBits()
    {
        int[] widths = [16, 16, 16, 16];
        PaperCheck first = FiniteWidthPractical.SpreadCheck("16×4", widths, seeds: 1, sameNeurons: null);
        PaperCheck second = FiniteWidthPractical.SpreadCheck("16×4", widths, seeds: 1, sameNeurons: null);
        Assert.Equal(first.Samples, second.Samples);
        Assert.Equal(first.Measured, second.Measured);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_EveryClaimHolds(int seeds)
    {
        var checks = FiniteWidthPractical.Run(seeds, quick: true);
        Assert.Equal(FiniteWidthPractical.Architectures.Count + 3, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}"));
        // Equal β, equal spread: 24×12 and 32×16 (β = ½) predict within 6% of each other, 32×32 (β = 1) twice as much.
        double Predicted(string prefix) => checks.Single(c => c.Variant.StartsWith(prefix + " ", StringComparison.Ordinal)).Predicted;
        Assert.InRange(Predicted("24×12") / Predicted("32×16"), 1.0, 1.06);
        Assert.InRange(Predicted("32×32") / Predicted("32×16"), 1.99, 2.01);
    }
}
