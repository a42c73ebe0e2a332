using InitLab.Activations;
using InitLab.Common;
using InitLab.Losses;
using InitLab.Random;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Losses;

public class LossTests
{
    public static TheoryData<string> Names() => [.. LossRegistry.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_MatchesCentralDifferences_InDouble(string name)
    {
        Loss loss = LossRegistry.Resolve(name);
        const int rows = 4, cols = 3;
        var rng = new Rng(23);
        double[] output = [.. Enumerable.Range(0, rows * cols).Select(_ => loss.FromLogits || loss is MeanSquaredError or MeanAbsoluteError
            ? rng.Uniform(-2, 2)
            : rng.Uniform(0.1, 0.9))];
        double[] target = MakeTargets(loss, rows, cols, rng);
        if (loss is MeanAbsoluteError)
        {
            // Keep |y − t| away from 0, where |·| has its kink.
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = target[i] + (i % 2 == 0 ? 0.3 : -0.4);
            }
        }
        var analytic = new double[output.Length];
        loss.Compute<double>(output, target, analytic, rows, cols);
        var scratch = new double[output.Length];
        double[] numerical = GradientCheck.Numerical(output, p => loss.Compute<double>(p, target, scratch, rows, cols), 1e-6);
        Assert.True(GradientCheck.RelativeError(analytic, numerical) < 1e-6, $"{name}: {GradientCheck.RelativeError(analytic, numerical)}");
    }

    [Fact]
    public void CategoricalOnLogits_EqualsSoftmaxThenCrossEntropy()
    {
        double[] logits = [0.5, -1, 2, 3, 0.1, -0.2];
        double[] target = [2, 0];
        var probabilities = new double[6];
        new Softmax().Forward<double>(logits, probabilities, 3);
        var scratch = new double[6];
        double composed = new CategoricalCrossEntropy(sparse: true).Compute<double>(probabilities, target, scratch, 2, 3);
        double fused = new CategoricalCrossEntropy(sparse: true, fromLogits: true).Compute<double>(logits, target, scratch, 2, 3);
        Assert.Equal(composed, fused, 12);
        Assert.Equal(probabilities[0] / 2, scratch[0], 12);
        Assert.Equal((probabilities[2] - 1) / 2, scratch[2], 12);
    }

    [Fact]
    public void BinaryOnLogits_IsFiniteForHugeLogits()
    {
        var gradient = new float[2];
        double value = new BinaryCrossEntropy(fromLogits: true).Compute<float>([1000f, -1000f], [0f, 1f], gradient, 2, 1);
        Assert.Equal(1000, value, 6);
        // (σ(z) − t) / (rows·cols): (1 − 0)/2 and (0 − 1)/2.
        Assert.Equal(0.5f, gradient[0], 6);
        Assert.Equal(-0.5f, gradient[1], 6);
    }

    [Fact]
    public void FuseWith_OnlyForTheMatchingActivation()
    {
        Assert.True(new CategoricalCrossEntropy().FuseWith("softmax")!.FromLogits);
        Assert.Null(new CategoricalCrossEntropy().FuseWith("sigmoid"));
        Assert.True(new BinaryCrossEntropy().FuseWith("sigmoid")!.FromLogits);
        Assert.Null(new MeanSquaredError().FuseWith("linear"));
    }

    [Fact]
    public void Sparse_OutOfRangeLabel_NamesRowAndValidRange()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new CategoricalCrossEntropy(sparse: true).Compute<float>([0f, 0f, 0f], [3f], new float[3], 1, 3));
        Assert.Contains("row 0 is 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0..2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownName_SuggestsNearest()
    {
        var ex = Assert.Throws<UnknownNameException>(() => LossRegistry.Resolve("binary_crosentropy"));
        Assert.Contains("Did you mean 'binary_crossentropy'?", ex.Message, StringComparison.Ordinal);
        Assert.IsType<MeanSquaredError>(LossRegistry.Resolve("MSE"));
    }

    private static double[] MakeTargets(Loss loss, int rows, int cols, Rng rng)
    {
        if (loss.TargetKind == TargetKind.ClassIndex)
        {
            return [.. Enumerable.Range(0, rows).Select(_ => (double)rng.NextInt(cols))];
        }
        if (loss is CategoricalCrossEntropy)
        {
            var oneHot = new double[rows * cols];
            for (int r = 0; r < rows; r++)
            {
                oneHot[r * cols + rng.NextInt(cols)] = 1;
            }
            return oneHot;
        }
        if (loss is BinaryCrossEntropy)
        {
            return [.. Enumerable.Range(0, rows * cols).Select(_ => (double)rng.NextInt(2))];
        }
        return [.. Enumerable.Range(0, rows * cols).Select(_ => rng.Uniform(-1, 1))];
    }
}
