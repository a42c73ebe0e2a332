using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 21: batch and layer normalization's outputs and running statistics against numbers worked by hand from the
/// formulas (Ioffe &amp; Szegedy 2015, Alg. 1; Ba et al. 2016, eq. 4; Keras 3's BatchNormalization: biased variance, moving
/// statistics m ← m·momentum + μ·(1 − momentum), momentum 0.99, ε 1e-3). Float32 against a handful of double operations:
/// relative error ≲ 10·6e-8, so 1e-6.
/// </summary>
public class NormalizationForwardTests
{
    private const double Tolerance = 1e-6;

    // Column 0: 1, 3, 5 → μ 3, biased σ² 8/3 (unbiased would be 4). Column 1: 2, 6, 10 → μ 6, σ² 32/3 (unbiased 16).
    private static readonly float[] Batch = [1, 2, 3, 6, 5, 10];

    private static void Near(double expected, float actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");

    [Fact]
    public void BatchNormalization_Defaults_AreKeras()
    {
        var bn = new BatchNormalization();
        Assert.Equal(0.99, bn.Momentum);
        Assert.Equal(1e-3, bn.Epsilon);
        _ = new Sequential(3, [bn], seed: 1);
        Assert.Equal([1f, 1f, 1f], bn.Gamma.ToArray());
        Assert.Equal([0f, 0f, 0f], bn.Beta.ToArray());
        Assert.Equal([0f, 0f, 0f], bn.MovingMean.ToArray());
        Assert.Equal([1f, 1f, 1f], bn.MovingVariance.ToArray());
        Assert.Equal(["moving_mean", "moving_variance"], bn.State.Select(s => s.Name));
        Assert.Equal(1e-3, new LayerNormalization().Epsilon);
    }

    [Fact]
    public void BatchNormalization_BatchStatistics_UsesBiasedVariancePerColumn()
    {
        var bn = new BatchNormalization();
        var model = new Sequential(2, [bn], seed: 1) { Threads = 1 };
        bn.Gamma[0] = 2;
        bn.Gamma[1] = 0.5f;
        bn.Beta[0] = 1;
        bn.Beta[1] = -1;
        float[] y = model.Forward(new Tensor((float[])Batch.Clone(), 3, 2)).Data;

        double s0 = 1 / Math.Sqrt(8.0 / 3 + 1e-3), s1 = 1 / Math.Sqrt(32.0 / 3 + 1e-3);
        double[] expected = [2 * -2 * s0 + 1, 0.5 * -4 * s1 - 1, 1, -1, 2 * 2 * s0 + 1, 0.5 * 4 * s1 - 1];
        for (int i = 0; i < expected.Length; i++)
        {
            Near(expected[i], y[i], $"y[{i}]");
        }
        // x̂ has mean 0 and (biased) variance σ²/(σ² + ε) in each column.
        ReadOnlySpan<float> xhat = bn.Normalized;
        Near(0, xhat[0] + xhat[2] + xhat[4], "Σ x̂ column 0");
        Near(3 * (8.0 / 3) / (8.0 / 3 + 1e-3), xhat[0] * xhat[0] + xhat[2] * xhat[2] + xhat[4] * xhat[4], "Σ x̂² column 0");
    }

    [Fact]
    public void BatchNormalization_TrainPasses_MoveRunningStatisticsByMomentumWithBiasedVariance()
    {
        var bn = new BatchNormalization();
        var model = new Sequential(2, [bn], seed: 1) { Threads = 1 };
        model.Forward((float[])Batch.Clone(), 3, PassMode.Train);
        // m ← 0·0.99 + μ·0.01, v ← 1·0.99 + σ²·0.01 (σ² biased: 8/3, not 4).
        Near(0.01 * 3, bn.MovingMean[0], "mean 0");
        Near(0.01 * 6, bn.MovingMean[1], "mean 1");
        Near(0.99 + 0.01 * 8 / 3, bn.MovingVariance[0], "variance 0");
        Near(0.99 + 0.01 * 32 / 3, bn.MovingVariance[1], "variance 1");

        // A second batch: column 0 is 0, 0, 6 (μ 2, σ² 8), column 1 is 1, 1, 1 (μ 1, σ² 0).
        model.Forward([0, 1, 0, 1, 6, 1], 3, PassMode.Train);
        Near(0.03 * 0.99 + 2 * 0.01, bn.MovingMean[0], "mean 0, step 2");
        Near(0.06 * 0.99 + 1 * 0.01, bn.MovingMean[1], "mean 1, step 2");
        Near((0.99 + 0.01 * 8 / 3) * 0.99 + 8 * 0.01, bn.MovingVariance[0], "variance 0, step 2");
        Near((0.99 + 0.01 * 32 / 3) * 0.99, bn.MovingVariance[1], "variance 1, step 2");
        // A constant column normalizes to 0 (ε keeps it finite): the output is β.
        Assert.Equal(0f, bn.Output[1]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    [InlineData(0.5)]
    public void BatchNormalization_Momentum_WeighsTheOldStatistics(double momentum)
    {
        var bn = new BatchNormalization(momentum: momentum, epsilon: 0.25);
        var model = new Sequential(2, [bn], seed: 1) { Threads = 1 };
        model.Forward((float[])Batch.Clone(), 3, PassMode.Train);
        Near(momentum * 0 + (1 - momentum) * 3, bn.MovingMean[0], "mean");
        Near(momentum * 1 + (1 - momentum) * 32.0 / 3, bn.MovingVariance[1], "variance");
        // ε is the one given: x̂ of the first row, column 0, is −2/√(8/3 + 0.25).
        Near(-2 / Math.Sqrt(8.0 / 3 + 0.25), bn.Normalized[0], "x̂ with ε 0.25");
    }

    [Fact]
    public void BatchNormalization_Infer_UsesRunningStatisticsAndLeavesThem()
    {
        var bn = new BatchNormalization();
        var model = new Sequential(2, [bn], seed: 1) { Threads = 1 };
        bn.MovingMean[0] = 0.5f;
        bn.MovingMean[1] = -1;
        bn.MovingVariance[0] = 4;
        bn.MovingVariance[1] = 0.25f;
        bn.Gamma[1] = 3;
        bn.Beta[0] = 0.125f;
        model.Forward((float[])Batch.Clone(), 3, PassMode.Infer);
        for (int r = 0; r < 3; r++)
        {
            Near((Batch[2 * r] - 0.5) / Math.Sqrt(4 + 1e-3) + 0.125, bn.Output[2 * r], $"row {r}, column 0");
            Near(3 * (Batch[2 * r + 1] + 1) / Math.Sqrt(0.25 + 1e-3), bn.Output[2 * r + 1], $"row {r}, column 1");
        }
        Assert.Equal([0.5f, -1f], bn.MovingMean.ToArray());
        Assert.Equal([4f, 0.25f], bn.MovingVariance.ToArray());
    }

    [Fact]
    public void BatchNormalization_OneRowInTraining_GivesBetaNotNaN()
    {
        var bn = new BatchNormalization();
        var model = new Sequential(2, [bn], seed: 1) { Threads = 1 };
        bn.Beta[1] = 0.5f;
        model.Forward([7, -3], 1, PassMode.Train);
        Assert.Equal([0f, 0.5f], bn.Output.ToArray());
        Near(0.99, bn.MovingVariance[0], "variance of one row is 0");
    }

    [Fact]
    public void LayerNormalization_NormalizesEachRowOverItsFeatures_SameInEveryMode()
    {
        var ln = new LayerNormalization();
        var model = new Sequential(4, [ln], seed: 1) { Threads = 1 };
        float[] gamma = [1, 2, 0.5f, -1];
        float[] beta = [0, 0.25f, -0.5f, 1];
        gamma.CopyTo(ln.Gamma);
        beta.CopyTo(ln.Beta);
        // Row 0: 1, 2, 3, 4 → μ 2.5, σ² 1.25 (biased). Row 1: constant → x̂ = 0, y = β. Row 2: 10, 0, 0, 0 → μ 2.5, σ² 18.75.
        float[] x = [1, 2, 3, 4, 2, 2, 2, 2, 10, 0, 0, 0];
        double[] mean = [2.5, 2, 2.5];
        double[] variance = [1.25, 0, 18.75];
        foreach (PassMode mode in new[] { PassMode.Train, PassMode.Infer, PassMode.Probe })
        {
            model.Forward((float[])x.Clone(), 3, mode);
            for (int r = 0; r < 3; r++)
            {
                for (int j = 0; j < 4; j++)
                {
                    double expected = gamma[j] * (x[4 * r + j] - mean[r]) / Math.Sqrt(variance[r] + 1e-3) + beta[j];
                    Near(expected, ln.Output[4 * r + j], $"{mode} y[{r}, {j}]");
                }
            }
        }
    }

    /// <summary>Rows far from zero (mean 1000, spread 1): the two-pass statistics keep the relative error of x̂ at float
    /// level, where the one-pass E[x²] − E[x]² would lose about six digits to cancellation.</summary>
    [Fact]
    public void Normalization_LargeMeanSmallSpread_KeepsPrecision()
    {
        float[] x = LayerReference.Normals(8 * 5, 71, scale: 1, shift: 1000);
        double[] xd = LayerReference.ToDouble(x);
        var bn = new BatchNormalization();
        var ln = new LayerNormalization();
        var bnModel = new Sequential(5, [bn], seed: 1) { Threads = 1 };
        var lnModel = new Sequential(5, [ln], seed: 1) { Threads = 1 };
        double[] bnExpected = LayerReference.Forward(bnModel, xd, 8, PassMode.Probe);
        double[] lnExpected = LayerReference.Forward(lnModel, xd, 8, PassMode.Probe);
        float[] bnActual = bnModel.Forward(new Tensor((float[])x.Clone(), 8, 5)).Data;
        float[] lnActual = lnModel.Forward(new Tensor((float[])x.Clone(), 8, 5)).Data;
        // Inputs near 1000 carry float rounding of 1000·6e-8 = 6e-5 absolute each, relative to a spread of 1: 1e-4.
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(bnExpected[i] - bnActual[i]) < 1e-4, $"BN {i}: {bnExpected[i]} vs {bnActual[i]}");
            Assert.True(Math.Abs(lnExpected[i] - lnActual[i]) < 1e-4, $"LN {i}: {lnExpected[i]} vs {lnActual[i]}");
        }
    }
}
