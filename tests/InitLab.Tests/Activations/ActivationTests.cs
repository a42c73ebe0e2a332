using InitLab.Activations;
using InitLab.Common;
using InitLab.Random;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Activations;

public class ActivationTests
{
    public static TheoryData<string> Names() => [.. ActivationRegistry.Names.Append("leaky_relu(0.1)").Append("elu(0.5)")];

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_MatchesCentralDifferences_InDouble(string name)
    {
        Activation activation = ActivationRegistry.Resolve(name);
        const int rows = 3, cols = 5;
        var rng = new Rng(17);
        // Inputs kept at least 0.05 away from 0, the kink of relu/leaky/elu/selu, and h = 1e-6 never crosses it.
        double[] z = [.. Enumerable.Range(0, rows * cols).Select(_ => (rng.NextDouble() < 0.5 ? -1 : 1) * rng.Uniform(0.05, 2.0))];
        double[] upstream = [.. Enumerable.Range(0, rows * cols).Select(_ => rng.Uniform(-1, 1))];
        double Objective(double[] point)
        {
            var a = new double[point.Length];
            activation.Forward<double>(point, a, cols);
            double sum = 0;
            for (int i = 0; i < a.Length; i++)
            {
                sum += a[i] * upstream[i];
            }
            return sum;
        }
        var output = new double[z.Length];
        activation.Forward<double>(z, output, cols);
        var analytic = new double[z.Length];
        activation.Backward<double>(z, output, upstream, analytic, cols);
        double[] numerical = GradientCheck.Numerical(z, Objective, 1e-6);
        Assert.True(GradientCheck.RelativeError(analytic, numerical) < 1e-6, $"{name}: {GradientCheck.RelativeError(analytic, numerical)}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FloatKernel_MatchesScalarFormula_OnEveryLength(string name)
    {
        Activation activation = ActivationRegistry.Resolve(name);
        if (!activation.IsElementwise)
        {
            return;
        }
        var rng = new Rng(3);
        for (int length = 0; length <= 3 * 16 + 1; length++)
        {
            float[] z = [.. Enumerable.Range(0, length).Select(_ => (float)rng.Uniform(-4, 4))];
            float[] da = [.. Enumerable.Range(0, length).Select(_ => (float)rng.Uniform(-1, 1))];
            // NaN canaries after the destination catch writes past the end.
            var a = new float[length + 1];
            var dz = new float[length + 1];
            a[^1] = float.NaN;
            dz[^1] = float.NaN;
            activation.Forward<float>(z, a.AsSpan(0, length), 1);
            activation.Backward<float>(z, a.AsSpan(0, length), da, dz.AsSpan(0, length), 1);
            Assert.True(float.IsNaN(a[^1]) && float.IsNaN(dz[^1]));
            for (int i = 0; i < length; i++)
            {
                double expected = activation.Apply(z[i]);
                double expectedSlope = activation.Derivative(z[i]) * da[i];
                Assert.True(Math.Abs(a[i] - expected) <= 2e-6 * Math.Max(1, Math.Abs(expected)), $"{name} a[{i}] {a[i]} vs {expected}");
                Assert.True(Math.Abs(dz[i] - expectedSlope) <= 1e-5 * Math.Max(1, Math.Abs(expectedSlope)), $"{name} dz[{i}] {dz[i]} vs {expectedSlope}");
            }
        }
    }

    [Fact]
    public void Softmax_RowsSumToOne_EvenForLargeLogits()
    {
        var softmax = new Softmax();
        float[] z = [1000, 1001, 1002, -5, 0, 5];
        var a = new float[6];
        softmax.Forward<float>(z, a, 3);
        Assert.Equal(1.0, a[0] + a[1] + a[2], 5);
        Assert.Equal(1.0, a[3] + a[4] + a[5], 5);
        Assert.True(a[2] > a[1] && a[1] > a[0]);
    }

    [Fact]
    public void Relu_PropagatesNaN_SoDivergenceIsNeverHidden()
    {
        var a = new float[1];
        new Relu().Forward<float>([float.NaN], a, 1);
        Assert.True(float.IsNaN(a[0]));
    }

    [Fact]
    public void Resolve_MisspelledName_SuggestsNearest()
    {
        var ex = Assert.Throws<UnknownNameException>(() => ActivationRegistry.Resolve("tahn"));
        Assert.Contains("Did you mean 'tanh'?", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Valid: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("relu", ex.Message, StringComparison.Ordinal);
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Resolve_ParameterAndCase_AreAccepted()
    {
        Assert.Equal("leaky_relu(0.1)", ActivationRegistry.Resolve("Leaky_ReLU(0.1)").Name);
        Assert.Equal(0.1, Assert.IsType<LeakyRelu>(ActivationRegistry.Resolve("leaky_relu(0.1)")).Alpha);
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationRegistry.Resolve("leaky_relu(-1)"));
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-2.0, 0.022750131948179195)]
    [InlineData(3.5, 0.9997673709209645)]
    public void NormalCdf_MatchesReferenceValues(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.NormalCdf(x), 13);

    /// <summary>Left tail, relative (Python: 0.5·math.erfc(−x/√2)); 1 + erf(x/√2) cancelled there (1e-6 off at −6.6).</summary>
    [Theory]
    [InlineData(-4.0, 3.1671241833119965e-05)]
    [InlineData(-6.5, 4.016000583859125e-11)]
    [InlineData(-10.0, 7.619853024160593e-24)]
    [InlineData(-20.0, 2.7536241186063314e-89)]
    public void NormalCdf_LeftTail_RelativelyAccurate(double x, double expected) =>
        Assert.True(Math.Abs(SpecialFunctions.NormalCdf(x) / expected - 1) < 1e-12, $"Φ({x}) = {SpecialFunctions.NormalCdf(x):R}");
}

public class TanhRegressionTests
{
    [Fact]
    public void Tanh_AtZero_IsExactlyZero_AndOdd()
    {
        float[] z = [0f, -0f, 1e-3f, -1e-3f, 3f, -3f];
        var a = new float[z.Length];
        new Tanh().Forward<float>(z, a, 1);
        Assert.Equal(0f, a[0]);
        Assert.Equal(0f, a[1]);
        Assert.Equal(-a[2], a[3]);
        Assert.Equal(-a[4], a[5]);
    }
}
