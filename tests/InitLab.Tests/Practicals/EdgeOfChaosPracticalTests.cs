using InitLab.Activations;
using InitLab.Practicals.Papers;
using InitLab.Theory;

namespace InitLab.Tests.Practicals;

/// <summary>The edge-of-chaos practical against values known independently (Schoenholz et al. 2017).</summary>
public class EdgeOfChaosPracticalTests(EdgeOfChaosPracticalTests.QuickRun run) : IClassFixture<EdgeOfChaosPracticalTests.QuickRun>
{
    /// <summary>One quick run (one seed, 8 nets per phase) shared by the tests that read its checks.</summary>
    public sealed class QuickRun
    {
        public IReadOnlyList<PaperCheck> Checks { get; } = EdgeOfChaosPractical.Run(seeds: 1, quick: true);

        public PaperCheck Named(string variant) => Checks.Single(c => c.Variant == variant);
    }

    [Fact]
    public void Phases_CriticalWeightVariance_Is1Point76()
    {
        // Schoenholz et al. 2017, figure 1: tanh at σ_b² = 0.05 is critical at σ_w² ≈ 1.76.
        var phases = EdgeOfChaosPractical.Phases();
        Assert.Equal(1.76, phases.Single(p => p.Phase == "critical").WeightVariance, 0.01);
    }

    [Fact]
    public void Run_Quick_EveryClaimHolds()
    {
        Assert.Equal(9, run.Checks.Count);
        Assert.All(run.Checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}; {c.Claim}"));
    }

    [Fact]
    public void Run_QuickTwoSeeds_EveryClaimHolds()
    {
        var checks = EdgeOfChaosPractical.Run(seeds: 2, quick: true);
        Assert.Equal(9, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}; {c.Claim}"));
    }

    [Fact]
    public void Ordered_CorrelationGoesToOne_Chaotic_StaysWellBelow()
    {
        // Ordered: c* = 1 (χ₁ < 1); chaotic σ_w² = 3: c* < 1, worked by the map's fixed point ≈ 0.30; both far from each other.
        Assert.True(run.Named("ordered σ_w²=1.2 c").Measured > 0.98);
        Assert.InRange(run.Named("chaotic σ_w²=3 c").Measured, 0.2, 0.45);
    }

    [Fact]
    public void FirstLayer_CorrelationIsTheInputKernel_WorkedByHand()
    {
        // Layer 1's kernel from inputs of unit mean square with correlation ρ = 0.5: c¹ = (σ_w²·ρ + σ_b²)/(σ_w² + σ_b²).
        // Its noise is the sample correlation's, (1 − ρ²)/√n per net (times σ_w²/(σ_w² + σ_b²) < 1), over 8 nets.
        const double w = 1.2, b = 0.05, rho = 0.5;
        double expected = (w * rho + b) / (w + b);
        double standardError = (1 - rho * rho) / Math.Sqrt(EdgeOfChaosPractical.Width(quick: true)) / Math.Sqrt(EdgeOfChaosPractical.NetsPerSeed);
        Assert.InRange(run.Named("ordered σ_w²=1.2 c").MeasuredTrajectory[0], expected - 4 * standardError, expected + 4 * standardError);
        // The drawn trajectory starts from the same kernel.
        Assert.Equal(run.Named("ordered σ_w²=1.2 c").MeasuredTrajectory[0], run.Named("ordered σ_w²=1.2 c").PredictedTrajectory[0]);
    }

    [Fact]
    public void DepthScales_OrderedAndChaotic_AreMinusOneOverLogChiWorkedByHand()
    {
        // ξ_c = −1/ln χ_c with χ_c worked here by a plain trapezoid rule on a fine grid (not the library's quadrature): ordered
        // χ₁ = σ_w²·E[tanh′(√q*·z)²] at the fixed point q* of q ↦ σ_w²·E[tanh(√q·z)²] + σ_b²; the predictions the practical
        // states must be these numbers, and its measured depth scales pass against them.
        Assert.Equal(-1 / Math.Log(HandChiOrdered(1.2)), run.Named("ordered σ_w²=1.2 ξ_c").Predicted, 1e-3);
        Assert.True(run.Named("ordered σ_w²=1.2 ξ_c").Passed);
        Assert.True(run.Named("chaotic σ_w²=3 ξ_c").Passed);
        Assert.Equal(-1 / Math.Log(HandChiChaotic(3.0)), run.Named("chaotic σ_w²=3 ξ_c").Predicted, 1e-3);
        Assert.InRange(run.Named("chaotic σ_w²=3 ξ_c").Measured, 9.05 / 1.5, 9.05 * 1.5);
    }

    [Fact]
    public void Kernel_InputsAndPreActivations_WorkedByHand()
    {
        // u = (1, 2), v = (3, −1), σ_w² = 1.2, σ_b² = 0.05, n = 2: K = σ_w²·(u·u, v·v, u·v)/2 + σ_b².
        float[] u = [1, 2], v = [3, -1];
        var (k11, k22, k12) = EdgeOfChaosPractical.Kernel(u, v, 1.2, tanh: false);
        Assert.Equal(1.2 * 5 / 2 + 0.05, k11, 1e-12);
        Assert.Equal(1.2 * 10 / 2 + 0.05, k22, 1e-12);
        Assert.Equal(1.2 * 1 / 2 + 0.05, k12, 1e-12);
        // Pre-activations go through tanh first.
        var (t11, _, t12) = EdgeOfChaosPractical.Kernel(u, v, 1.2, tanh: true);
        Assert.Equal(1.2 * (Math.Pow(Math.Tanh(1), 2) + Math.Pow(Math.Tanh(2), 2)) / 2 + 0.05, t11, 1e-12);
        Assert.Equal(1.2 * (Math.Tanh(1) * Math.Tanh(3) + Math.Tanh(2) * Math.Tanh(-1)) / 2 + 0.05, t12, 1e-12);
    }

    [Fact]
    public void KernelMap_ReluWithUnequalLengths_IsTheArcCosineKernel()
    {
        // Cho & Saul 2009: E[relu(u₁)relu(u₂)] = √(q₁q₂)·(√(1−ρ²) + (π − arccos ρ)·ρ)/(2π) for (u₁, u₂) ~ N(0, K), and
        // E[relu(u)²] = q/2.
        var theory = new MeanField(ActivationRegistry.Resolve("relu"), 1.7, 0.1);
        const double q1 = 0.6, q2 = 1.9, covariance = 0.4;
        double rho = covariance / Math.Sqrt(q1 * q2);
        double arcCosine = (Math.Sqrt(1 - rho * rho) + (Math.PI - Math.Acos(rho)) * rho) / (2 * Math.PI);
        var (length1, length2, next) = EdgeOfChaosPractical.KernelMap(theory, q1, q2, covariance);
        Assert.Equal(1.7 * q1 / 2 + 0.1, length1, 1e-12);
        Assert.Equal(1.7 * q2 / 2 + 0.1, length2, 1e-12);
        Assert.Equal(1.7 * Math.Sqrt(q1 * q2) * arcCosine + 0.1, next, 1e-12);
    }

    [Fact]
    public void Check_NetsDrawnAtAnotherWeightVariance_FailsTheOneStepChecks()
    {
        // The theory says σ_w² = 1.2, the nets have 1.5: each layer's kernel is 25 % off what the map predicts.
        var checks = EdgeOfChaosPractical.Check("ordered", 1.2, actualWeightVariance: 1.5, width: 300, seeds: 1);
        Assert.False(checks.Single(c => c.Variant.EndsWith(" q", StringComparison.Ordinal)).Passed);
    }

    [Fact]
    public void DepthScaleFit_ExactExponential_ReturnsItsScale()
    {
        double[] differences = [.. Enumerable.Range(0, 20).Select(l => 0.3 * Math.Exp(-l / 7.5))];
        Assert.Equal(7.5, DepthScaleFit.Fit(differences), 1e-10);
        Assert.True(double.IsPositiveInfinity(DepthScaleFit.Fit([0.1, 0.1, 0.1])));
    }

    /// <summary>
    /// χ_c = σ_w²·E[tanh′(u₁)tanh′(u₂)] at (q*, c*) for tanh at σ_b² = 0.05 in the chaotic phase: q* as in
    /// <see cref="HandChiOrdered"/>, c* by bisection on c′(c) − c in [0, 0.99] (c′ &gt; c below c*, &lt; above), the
    /// bivariate expectations by the trapezoid rule on a 321 × 321 grid (spectrally accurate for these smooth integrands).
    /// </summary>
    private static double HandChiChaotic(double weightVariance)
    {
        const double h = 0.05;
        const int half = 160;
        static double Expect2(Func<double, double, double> f, double c)
        {
            double s = Math.Sqrt(1 - c * c), sum = 0;
            for (int i = -half; i <= half; i++)
            {
                for (int j = -half; j <= half; j++)
                {
                    double z1 = i * h, z2 = j * h;
                    sum += f(z1, c * z1 + s * z2) * Math.Exp(-(z1 * z1 + z2 * z2) / 2);
                }
            }
            return sum * h * h / (2 * Math.PI);
        }
        double q = LengthFixedPointByHand(weightVariance), r = Math.Sqrt(q);
        double Next(double c) => (weightVariance * Expect2((a, b) => Math.Tanh(r * a) * Math.Tanh(r * b), c) + EdgeOfChaosPractical.BiasVariance) / q;
        double lo = 0, hi = 0.99;
        for (int i = 0; i < 40; i++)
        {
            double mid = (lo + hi) / 2;
            (lo, hi) = Next(mid) > mid ? (mid, hi) : (lo, mid);
        }
        double fixedPoint = (lo + hi) / 2;
        return weightVariance * Expect2((a, b) => (1 - Math.Pow(Math.Tanh(r * a), 2)) * (1 - Math.Pow(Math.Tanh(r * b), 2)), fixedPoint);
    }

    private static double LengthFixedPointByHand(double weightVariance)
    {
        double q = 1;
        for (int i = 0; i < 500; i++)
        {
            double root = Math.Sqrt(q);
            q = weightVariance * Expect(z => Math.Pow(Math.Tanh(root * z), 2)) + EdgeOfChaosPractical.BiasVariance;
        }
        return q;
    }

    private static double Expect(Func<double, double> f)
    {
        const double h = 1e-3;
        double sum = 0;
        for (int i = -10000; i <= 10000; i++)
        {
            double z = i * h, weight = i == -10000 || i == 10000 ? 0.5 : 1;
            sum += weight * f(z) * Math.Exp(-z * z / 2);
        }
        return sum * h / Math.Sqrt(2 * Math.PI);
    }

    /// <summary>χ₁ of tanh at σ_b² = 0.05 by the trapezoid rule on z ∈ [−10, 10], step 1e-3, and plain fixed-point iteration.</summary>
    private static double HandChiOrdered(double weightVariance)
    {
        double r = Math.Sqrt(LengthFixedPointByHand(weightVariance));
        return weightVariance * Expect(z => Math.Pow(1 - Math.Pow(Math.Tanh(r * z), 2), 2));
    }
}
