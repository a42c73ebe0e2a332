using InitLab.Analysis;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Random;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Analysis;

public class SpectrumTests
{
    private static Matrix RandomMatrix(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        return new Matrix(rows, cols, [.. Enumerable.Range(0, rows * cols).Select(_ => rng.NextNormal())]);
    }

    [Fact]
    public void SingularValues_Diagonal_AreTheAbsoluteDiagonalLargestFirst()
    {
        var m = new Matrix(3, 3, [0, 0, 0, 0, -5, 0, 0, 0, 2]);
        Assert.Equal([5, 2, 0], SingularValues.Compute(m));
    }

    [Fact]
    public void SingularValues_TwoByTwo_MatchTheClosedForm()
    {
        // σ² = (S ± √(S² − 4·det²))/2 with S = a² + b² + c² + d².
        const double a = 3, b = -1, c = 2, d = 0.5;
        double s = a * a + b * b + c * c + d * d, det = a * d - b * c;
        double root = Math.Sqrt(s * s - 4 * det * det);
        double[] values = SingularValues.Compute(new Matrix(2, 2, [a, b, c, d]));
        Assert.Equal(Math.Sqrt((s + root) / 2), values[0], 1e-14);
        Assert.Equal(Math.Sqrt((s - root) / 2), values[1], 1e-14);
    }

    [Fact]
    public void SingularValues_RankOneOuterProduct_IsProductOfNormsThenZeros()
    {
        double[] u = [1, 2, 2], v = [3, 4];
        var m = new Matrix(3, 2, [.. u.SelectMany(x => v.Select(y => x * y))]);
        double[] values = SingularValues.Compute(m);
        Assert.Equal(15, values[0], 1e-13);
        Assert.Equal(0, values[1], 1e-13);
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(13, 5)]
    [InlineData(4, 9)]
    public void SingularValues_RandomMatrix_KeepFrobeniusNormAndDeterminant(int rows, int cols)
    {
        // Σσ² = ‖A‖_F² for any shape; Πσ = |det A| for square A (det by Gaussian elimination here).
        Matrix m = RandomMatrix(rows, cols, 3);
        double[] values = SingularValues.Compute(m);
        Assert.Equal(Math.Min(rows, cols), values.Length);
        Assert.Equal(m.Values.Sum(x => x * x), values.Sum(x => x * x), 1e-10);
        if (rows == cols)
        {
            Assert.Equal(Math.Abs(Determinant(m)), values.Aggregate(1.0, (p, x) => p * x), 1e-8);
        }
        Assert.Equal(values, SingularValues.Compute(m.Transpose()), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void SingularValues_NaNEntry_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => SingularValues.Compute(new Matrix(1, 2, [1, double.NaN])));
        Assert.Equal("matrix", ex.ParamName);
    }

    [Fact]
    public void SpectralNorm_OrthogonalKernelWithGainTwo_IsTwo()
    {
        var layer = new Dense(32, kernelInitializer: new Orthogonal(gain: 2), useBias: false);
        layer.Build(48, new Rng(5));
        Spectrum spectrum = Spectrum.OfKernel(layer);
        Assert.Equal(2, spectrum.Max, 1e-5);
        Assert.Equal(2, spectrum.Min, 1e-5);
    }

    [Fact]
    public void InputOutputJacobian_DeepLinearOrthogonal_AllSingularValuesAreOne()
    {
        // Saxe et al. 2014 / Pennington et al. 2017: a product of orthogonal matrices is orthogonal, σ = 1 exactly
        // (float weights: 8 products of 64-term sums leave ~1e-6).
        var model = new Sequential(64, Enumerable.Range(0, 8).Select(_ => new Dense(64, kernelInitializer: new Orthogonal(), useBias: false)), seed: 3);
        float[] input = [.. Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i))];
        Spectrum spectrum = Spectrum.Of(Jacobian.InputOutput(model, input));
        Assert.All(spectrum.SingularValues, s => Assert.Equal(1, s, 1e-4));
        Assert.Equal(0, spectrum.VarianceOfSquares, 1e-4);
    }

    /// <summary>
    /// E[(1/n)·tr((JJᵀ)²)] = A_L/n and E[((1/n)·tr JJᵀ)²] = B_L/n² for J = W_L⋯W_1, W n×n i.i.d. N(0, 1/n), from the
    /// Gaussian fourth moments E[M_ij M_kl] = n⁻²(n²δ_ij δ_kl + n δ_ik δ_jl + n δ_il δ_jk) of M = WᵀW:
    /// A_l = (1 + 1/n)·A_{l−1} + B_{l−1}/n, B_l = B_{l−1} + 2·A_{l−1}/n, A_0 = n, B_0 = n². As n → ∞ the variance of σ²
    /// tends to L (Pennington et al.); for n = 48 it is a little larger.
    /// </summary>
    private static double ExpectedVarianceOfSquares(int n, int depth)
    {
        double a = n, b = (double)n * n;
        for (int l = 0; l < depth; l++)
        {
            (a, b) = ((1 + 1.0 / n) * a + b / n, b + 2 * a / n);
        }
        return a / n - b / ((double)n * n);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void InputOutputJacobian_ProductOfGaussianLayers_MeanSquareOneAndVarianceOfSquaresAboutDepth(int depth)
    {
        const int n = 48, seeds = 40;
        var means = new double[seeds];
        var variances = new double[seeds];
        for (int seed = 0; seed < seeds; seed++)
        {
            var model = new Sequential(n, Enumerable.Range(0, depth).Select(_ =>
                new Dense(n, kernelInitializer: new RandomNormal(0, 1 / Math.Sqrt(n)), useBias: false)), seed: (ulong)seed + 100);
            Spectrum spectrum = Spectrum.Of(Jacobian.InputOutput(model, new float[n]));
            means[seed] = spectrum.MeanSquare;
            variances[seed] = spectrum.VarianceOfSquares;
        }
        // 5 standard errors of the mean over the seeds.
        AssertMeanWithin(means, 1.0);
        AssertMeanWithin(variances, ExpectedVarianceOfSquares(n, depth));
        Assert.Equal(depth, ExpectedVarianceOfSquares(100_000, depth), 1e-3);
    }

    private static void AssertMeanWithin(double[] samples, double expected)
    {
        double mean = samples.Average();
        double standardError = Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / (samples.Length - 1) / samples.Length);
        Assert.True(Math.Abs(mean - expected) < 5 * standardError, $"mean {mean:G5}, expected {expected:G5}, SE {standardError:G3}");
    }

    [Fact]
    public void InputOutputJacobian_TanhNetwork_IsTheProductOfThePerLayerJacobiansAndMatchesCentralDifferences()
    {
        var model = new Sequential(6, [new Dense(9, "tanh", "glorot_normal", "random_normal"), new Dense(7, "tanh", "orthogonal", "random_normal"),
            new Dense(4, "sigmoid", "glorot_uniform", "random_normal")], seed: 8);
        float[] input = [0.3f, -1.2f, 0.8f, 0.05f, -0.4f, 1.1f];
        Matrix j = Jacobian.InputOutput(model, input);
        IReadOnlyList<Matrix> layers = Jacobian.PerLayer(model, input);
        Matrix chain = layers[2].Multiply(layers[1]).Multiply(layers[0]);
        Assert.Equal(4, j.Rows);
        Assert.Equal(6, j.Cols);
        Assert.True(GradientCheck.RelativeError(j.Values, chain.Values) < 1e-5);

        double[] point = [.. input.Select(v => (double)v)];
        for (int output = 0; output < 4; output++)
        {
            int o = output;
            double[] numerical = GradientCheck.Numerical(point, p => ForwardInDouble(model, p)[o], 1e-5);
            double[] row = [.. Enumerable.Range(0, 6).Select(i => j[o, i])];
            Assert.True(GradientCheck.RelativeError(row, numerical) < 1e-4, $"row {o}");
        }
    }

    [Fact]
    public void InputOutputJacobian_WrongInputLength_NamesBothLengths()
    {
        var model = new Sequential(3, [new Dense(2)]);
        var ex = Assert.Throws<ArgumentException>(() => Jacobian.InputOutput(model, new float[4]));
        Assert.Contains("4 values", ex.Message, StringComparison.Ordinal);
        Assert.Contains("takes 3", ex.Message, StringComparison.Ordinal);
    }

    private static double[] ForwardInDouble(Sequential model, double[] x)
    {
        double[] a = x;
        foreach (Dense layer in model.Layers)
        {
            float[] kernel = layer.Kernel.ToArray(), bias = layer.Bias.ToArray();
            a = [.. Enumerable.Range(0, layer.Units).Select(j =>
            {
                double z = bias[j] + Enumerable.Range(0, layer.InputDim).Sum(i => a[i] * kernel[i * layer.Units + j]);
                return layer.Activation.Name == "tanh" ? Math.Tanh(z) : 1 / (1 + Math.Exp(-z));
            })];
        }
        return a;
    }

    private static double Determinant(Matrix m)
    {
        int n = m.Rows;
        double[] a = (double[])m.Values.Clone();
        double det = 1;
        for (int k = 0; k < n; k++)
        {
            int pivot = Enumerable.Range(k, n - k).MaxBy(i => Math.Abs(a[i * n + k]));
            if (pivot != k)
            {
                for (int j = 0; j < n; j++)
                {
                    (a[k * n + j], a[pivot * n + j]) = (a[pivot * n + j], a[k * n + j]);
                }
                det = -det;
            }
            det *= a[k * n + k];
            for (int i = k + 1; i < n; i++)
            {
                double f = a[i * n + k] / a[k * n + k];
                for (int j = k; j < n; j++)
                {
                    a[i * n + j] -= f * a[k * n + j];
                }
            }
        }
        return det;
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
