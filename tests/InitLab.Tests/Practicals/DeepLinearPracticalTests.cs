using InitLab.Initializers;
using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The deep-linear practical against values worked out independently of the code (Saxe et al. 2014).</summary>
public class DeepLinearPracticalTests
{
    [Fact]
    public void StepsPerTau_MeanSquaredErrorOver64Values_IsDimensionSquaredOverTwoEta()
    {
        // Loss (1/64)·‖P − Y‖² has gradient (1/32)·∂(½‖P − Y‖²): one step of size η is Δt = η/32 of the paper's τ.
        Assert.Equal(200, DeepLinearPractical.StepsPerTau(0.16), 12);
    }

    [Fact]
    public void PredictedSteps_StrongestMode_IsTheSigmoidsHalfTimeWithTheDiscreteRate()
    {
        // s = 4, u₀ = 64·0.005²/2 = 8e-4, τ = 200 steps: continuous (τ/2s)·ln(s/u₀ − 1) = 25·ln 4999 = 212.93 steps; the
        // exponential phase grows by (1 + s/τ)² per step instead of e^{2s/τ}, which stretches it by (s/τ)/ln(1 + s/τ).
        Assert.Equal(8e-4, DeepLinearPractical.EffectiveInitialStrength(), 15);
        double continuous = 200 / (2 * 4.0) * Math.Log(4 / 8e-4 - 1);
        double expected = continuous * (4.0 / 200) / Math.Log(1 + 4.0 / 200);
        Assert.Equal(expected, DeepLinearPractical.PredictedSteps(4, 8e-4, 0.16), 9);
        Assert.InRange(expected, 215.0, 215.1);
    }

    [Fact]
    public void Train_SingleLayerFromZero_FollowsTheClosedFormOfGradientDescent()
    {
        // One layer, zero start: P_{k+1} = P_k − η·(2/64)·(P_k − Y), so every mode is u_k = s·(1 − (1 − η/32)^k).
        const double LearningRate = 0.16;
        var strengths = DeepLinearPractical.Train([], new Constant(0), LearningRate, 50, seed: 1, _ => false);
        Assert.Equal(50, strengths.Count);
        for (int k = 0; k < strengths.Count; k++)
        {
            for (int a = 0; a < DeepLinearPractical.SingularValues.Count; a++)
            {
                double s = DeepLinearPractical.SingularValues[a];
                Assert.Equal(s * (1 - Math.Pow(1 - LearningRate / 32, k)), strengths[k][a], 4);
            }
        }
    }

    [Fact]
    public void Teacher_UAndV_AreOrthogonal()
    {
        (double[] u, double[] v) = DeepLinearPractical.Teacher();
        int n = DeepLinearPractical.Dimension;
        foreach (double[] m in new[] { u, v })
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double dot = Enumerable.Range(0, n).Sum(r => m[r * n + i] * m[r * n + j]);
                    Assert.Equal(i == j ? 1 : 0, dot, 12);
                }
            }
        }
    }

    [Fact]
    public void Train_SameSeed_SameBits()
    {
        var first = DeepLinearPractical.Train([8, 8], new Orthogonal(), 0.1, 30, seed: 5, _ => false);
        var second = DeepLinearPractical.Train([8, 8], new Orthogonal(), 0.1, 30, seed: 5, _ => false);
        Assert.Equal(first.SelectMany(u => u), second.SelectMany(u => u));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_EveryClaimHolds(int seeds)
    {
        var checks = DeepLinearPractical.Run(seeds, quick: true);
        Assert.Equal(DeepLinearPractical.SingularValues.Count + 3, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}"));
        // Strong modes first: the measured mean times increase as s falls, and the ratio is between the log-corrected
        // formula's and a pure 1/s law's (8) — far from 1.
        double[] times = [.. checks.Where(c => c.Variant.StartsWith("mode ", StringComparison.Ordinal)).Select(c => c.Measured)];
        Assert.Equal(times.Order(), times);
        Assert.InRange(checks.Single(c => c.Variant.StartsWith("t(", StringComparison.Ordinal)).Measured, 5, 8);
        // Depth: the Gaussian's learning time grows far more than the orthogonal's.
        PaperCheck orthogonal = checks.Single(c => c.Variant.StartsWith("orthogonal", StringComparison.Ordinal));
        PaperCheck gaussian = checks.Single(c => c.Variant.StartsWith("Gaussian", StringComparison.Ordinal));
        Assert.True(gaussian.Measured > 3 * orthogonal.Measured, $"Gaussian {gaussian.Measured}, orthogonal {orthogonal.Measured}");
    }
}
