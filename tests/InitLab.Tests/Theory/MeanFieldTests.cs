using InitLab.Activations;
using InitLab.Diagnostics;
using InitLab.Theory;

namespace InitLab.Tests.Theory;

public class MeanFieldTests
{
    private static readonly Activation Relu = ActivationRegistry.Resolve("relu");
    private static readonly Activation Tanh = ActivationRegistry.Resolve("tanh");

    [Fact]
    public void GaussLegendre_TenPoints_IntegratesEveryMonomialUpToDegree19Exactly()
    {
        (double[] nodes, double[] weights) = GaussianExpectation.GaussLegendre(10);
        for (int k = 0; k <= 19; k++)
        {
            double sum = 0;
            for (int i = 0; i < 10; i++)
            {
                sum += weights[i] * Math.Pow(nodes[i], k);
            }
            double expected = k % 2 == 1 ? 0 : 2.0 / (k + 1);
            Assert.True(Math.Abs(sum - expected) < 1e-14, $"x^{k}: {sum} vs {expected}");
        }
    }

    [Fact]
    public void Univariate_NormalMomentsAndStep_MatchTheirExactValues()
    {
        Assert.Equal(1, GaussianExpectation.Univariate(_ => 1), 1e-14);
        Assert.Equal(1, GaussianExpectation.Univariate(z => z * z), 1e-13);
        Assert.Equal(3, GaussianExpectation.Univariate(z => z * z * z * z), 1e-12);
        Assert.Equal(0.5, GaussianExpectation.Univariate(z => z > 0 ? 1 : 0), 1e-14);
    }

    [Theory]
    [InlineData(-0.9)]
    [InlineData(-0.3)]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void Bivariate_ReluProductAndStepProduct_MatchTheArcCosineKernel(double c)
    {
        // Cho & Saul 2009: E[relu(x1) relu(x2)] = (√(1−c²) + (π − arccos c)·c)/(2π); E[1{x1>0} 1{x2>0}] = (π − arccos c)/(2π).
        double relu = GaussianExpectation.Bivariate((a, b) => Math.Max(a, 0) * Math.Max(b, 0), c);
        double step = GaussianExpectation.Bivariate((a, b) => a > 0 && b > 0 ? 1 : 0, c);
        Assert.Equal((Math.Sqrt(1 - c * c) + (Math.PI - Math.Acos(c)) * c) / (2 * Math.PI), relu, 1e-12);
        Assert.Equal((Math.PI - Math.Acos(c)) / (2 * Math.PI), step, 1e-12);
    }

    [Theory]
    [InlineData(1.5, 0.1)]
    [InlineData(1.0, 0.05)]
    [InlineData(0.5, 1.0)]
    public void Relu_LengthFixedPoint_IsBiasOverOneMinusHalfTheWeightVariance(double weightVariance, double biasVariance)
    {
        // q′ = σ_w²·q/2 + σ_b² ⇒ q* = σ_b² / (1 − σ_w²/2).
        double expected = biasVariance / (1 - weightVariance / 2);
        Assert.Equal(expected, new MeanField(Relu, weightVariance, biasVariance).LengthFixedPoint(), expected * 1e-12);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1.5, 0.1)]
    [InlineData(2.0, 0.0)]
    [InlineData(2.5, 0.05)]
    public void Relu_Chi1AndGradientFactor_AreHalfTheWeightVariance(double weightVariance, double biasVariance)
    {
        var theory = new MeanField(Relu, weightVariance, biasVariance);
        Assert.Equal(weightVariance / 2, theory.Chi1, 1e-13);
        Assert.Equal(weightVariance / 2, theory.GradientFactor, 1e-13);
    }

    [Fact]
    public void Relu_AboveTwo_LengthFixedPointIsInfinite()
    {
        Assert.True(double.IsPositiveInfinity(new MeanField(Relu, 2.5, 0.0).LengthFixedPoint()));
        Assert.True(double.IsPositiveInfinity(new MeanField(Relu, 2.0, 0.05).LengthFixedPoint()));
        Assert.Equal(0, new MeanField(Relu, 1.0, 0.0).LengthFixedPoint());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    [InlineData(0.5)]
    public void Relu_CriticalWeightVariance_IsTwo(double biasVariance)
    {
        Assert.Equal(2, MeanField.CriticalWeightVariance(Relu, biasVariance), 1e-10);
    }

    [Fact]
    public void Relu_Ordered_DepthScalesAreMinusOneOverLogOfHalfTheWeightVariance()
    {
        // dq′/dq = σ_w²/2 and c* = 1 with χ_c = χ₁ = σ_w²/2.
        var theory = new MeanField(Relu, 1.5, 0.1);
        double expected = -1 / Math.Log(0.75);
        Assert.Equal(1, theory.CorrelationFixedPoint());
        Assert.Equal(expected, theory.LengthDepthScale, 1e-10);
        Assert.Equal(expected, theory.CorrelationDepthScale, 1e-10);
    }

    [Fact]
    public void Relu_AtCriticality_CorrelationDepthScaleIsInfinite()
    {
        Assert.True(double.IsPositiveInfinity(new MeanField(Relu, 2.0, 0.0).CorrelationDepthScale));
    }

    [Fact]
    public void Relu_CorrelationMap_IsTheNormalisedArcCosineKernel()
    {
        // c′ = (σ_w²·q·k(c) + σ_b²)/q′ with k(c) the arc-cosine kernel above and q′ = σ_w² q/2 + σ_b².
        var theory = new MeanField(Relu, 1.8, 0.2);
        const double q = 0.7, c = 0.3;
        double kernel = (Math.Sqrt(1 - c * c) + (Math.PI - Math.Acos(c)) * c) / (2 * Math.PI);
        double expected = (1.8 * q * kernel + 0.2) / (1.8 * q / 2 + 0.2);
        Assert.Equal(expected, theory.CorrelationMap(c, q), 1e-12);
    }

    [Fact]
    public void Linear_MapsAreExact()
    {
        var theory = new MeanField(ActivationRegistry.Resolve("linear"), 0.8, 0.3);
        Assert.Equal(0.8 * 2.5 + 0.3, theory.LengthMap(2.5), 1e-12);
        Assert.Equal(0.3 / 0.2, theory.LengthFixedPoint(), 1e-12);
        Assert.Equal(0.8, theory.Chi1, 1e-13);
    }

    [Fact]
    public void Tanh_BiasZero_CriticalWeightVarianceIsOne()
    {
        // Below 1, q* = 0 and χ₁ = σ_w²·tanh′(0)² = σ_w²; above, χ₁ − 1 = O((σ_w² − 1)²), so the root is found to ~1e-6.
        Assert.Equal(1, MeanField.CriticalWeightVariance(Tanh, 0), 1e-5);
    }

    [Fact]
    public void Tanh_Bias005_CriticalWeightVarianceIsAbout176()
    {
        // Schoenholz et al. 2017 (Fig. 1 and text): σ_w² ≈ 1.76 at σ_b² = 0.05; the paper gives two decimals.
        Assert.Equal(1.76, MeanField.CriticalWeightVariance(Tanh, 0.05), 0.01);
    }

    [Theory]
    [InlineData(1.76, 0.05)]
    [InlineData(3.0, 0.3)]
    [InlineData(0.9, 0.01)]
    public void Tanh_LengthFixedPoint_SolvesTheLengthEquationWithTheDiagnosticsQuadrature(double weightVariance, double biasVariance)
    {
        // A second quadrature (Diagnostics' split Gauss–Legendre, 6000 nodes) checks q* = σ_w²·E[tanh(√q* z)²] + σ_b².
        double q = new MeanField(Tanh, weightVariance, biasVariance).LengthFixedPoint();
        double image = weightVariance * SignalPropagation.Expectation(h => Math.Tanh(h) * Math.Tanh(h), q) + biasVariance;
        Assert.Equal(q, image, q * 1e-9);
    }

    [Fact]
    public void Tanh_LengthMapSlope_MatchesCentralDifferenceOfTheLengthMap()
    {
        var theory = new MeanField(Tanh, 1.7, 0.1);
        const double q = 0.6, h = 1e-5;
        double numerical = (theory.LengthMap(q + h) - theory.LengthMap(q - h)) / (2 * h);
        Assert.Equal(numerical, theory.LengthMapSlope(q), 1e-8);
    }

    [Fact]
    public void Tanh_CorrelationDepthScale_GrowsWithoutBoundTowardsCriticality()
    {
        double critical = MeanField.CriticalWeightVariance(Tanh, 0.05);
        double[] scales = [.. new[] { 0.9, 0.99, 0.999 }.Select(f => new MeanField(Tanh, critical * f, 0.05).CorrelationDepthScale)];
        Assert.True(scales[0] < scales[1] && scales[1] < scales[2], string.Join(", ", scales));
        Assert.True(new MeanField(Tanh, critical, 0.05).CorrelationDepthScale > 1e5);
        Assert.True(new MeanField(Tanh, critical * 1.001, 0.05).CorrelationDepthScale > scales[2]);
    }

    [Fact]
    public void Tanh_ChaoticPhase_CorrelationFixedPointIsAStableFixedPointBelowOne()
    {
        var theory = new MeanField(Tanh, 2.5, 0.05);
        double q = theory.LengthFixedPoint(), c = theory.CorrelationFixedPoint();
        Assert.True(theory.Chi1 > 1);
        Assert.True(c < 1 && c > 0, $"c* = {c}");
        Assert.Equal(c, theory.CorrelationMap(c, q), 1e-10);
        Assert.True(theory.ChiC < 1, $"χ_c = {theory.ChiC}");
    }

    [Fact]
    public void Tanh_BiasZeroChaotic_CorrelationFixedPointIsZero()
    {
        // An odd φ with σ_b² = 0 maps c = 0 to 0; in the chaotic phase it is the attracting fixed point.
        Assert.Equal(0, new MeanField(Tanh, 2.0, 0).CorrelationFixedPoint(), 1e-10);
    }

    [Fact]
    public void Constructor_Softmax_IsRejectedByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MeanField(ActivationRegistry.Resolve("softmax"), 1, 0));
        Assert.Contains("softmax", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 0.0, "weightVariance")]
    [InlineData(double.NaN, 0.0, "weightVariance")]
    [InlineData(1.0, -0.1, "biasVariance")]
    public void Constructor_VarianceOutOfRange_NamesTheArgument(double weightVariance, double biasVariance, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MeanField(Tanh, weightVariance, biasVariance));
        Assert.Equal(parameter, ex.ParamName);
    }
}
