using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: inverted dropout. In training each value is kept with probability q = 1 − rate and scaled by 1/q, so over N
/// independent units the dropped fraction has mean rate and standard error √(rate·q/N), and for an input of ones the mean
/// output has mean 1 and standard error √(rate/(q·N)) (each y is 1/q with probability q, else 0: variance rate/q).
/// Bounds are 5 standard errors (two-sided miss probability 6e-7 per check, for a fixed seed a deterministic pass).
/// Inference and probes are the identity; the masks depend on the seed only, never on the thread count.
/// </summary>
public class DropoutTests
{
    private const double K = 5;

    private static (Sequential Model, Dropout Layer) Single(double rate, int width, ulong seed = 3)
    {
        var dropout = new Dropout(rate);
        return (new Sequential(width, [dropout], seed) { Threads = 1 }, dropout);
    }

    private static float[] Run(Sequential model, Layer layer, float[] x, PassMode mode)
    {
        model.Forward((float[])x.Clone(), x.Length / model.InputDim, mode);
        return layer.Output.ToArray();
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Train_ManyUnits_DroppedFractionIsRateAndMeanIsPreserved(double rate)
    {
        const int Rows = 200, Width = 500;
        const int N = Rows * Width;
        (Sequential model, Dropout dropout) = Single(rate, Width);
        float[] y = Run(model, dropout, [.. Enumerable.Repeat(1f, N)], PassMode.Train);

        float scale = (float)(1 / (1 - rate));
        Assert.All(y, v => Assert.True(v == 0 || v == scale, $"output {v} is neither 0 nor 1/(1 − rate) = {scale}"));
        double dropped = y.Count(v => v == 0) / (double)N;
        double fractionError = Math.Sqrt(rate * (1 - rate) / N);
        Assert.True(Math.Abs(dropped - rate) < K * fractionError, $"dropped {dropped}, rate {rate} ± {K}·{fractionError}");
        double mean = y.Average(v => (double)v);
        double meanError = Math.Sqrt(rate / ((1 - rate) * N));
        Assert.True(Math.Abs(mean - 1) < K * meanError, $"mean output {mean}, expected 1 ± {K}·{meanError}");
    }

    [Fact]
    public void Train_GeneralInput_KeptValuesScaledDroppedZeroAndGradientUsesTheSameMask()
    {
        (Sequential model, Dropout dropout) = Single(0.25, 40);
        float[] x = LayerReference.Normals(6 * 40, 7);
        float[] g = LayerReference.Normals(6 * 40, 8);
        (float[] y, float[] dx) = LayerGradientTests.ForwardBackward(model, x, g, PassMode.Train);
        float[] mask = dropout.Mask.ToArray();
        Assert.Equal(x.Length, mask.Length);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(mask[i] == 0 || mask[i] == dropout.Scale, $"mask[{i}] = {mask[i]}");
            Assert.Equal(x[i] * mask[i], y[i]);
            Assert.Equal(g[i] * mask[i], dx[i]);
        }
    }

    [Theory]
    [InlineData(PassMode.Infer)]
    [InlineData(PassMode.Probe)]
    public void InferAndProbe_AreTheIdentityAndDrawNothing(PassMode mode)
    {
        (Sequential model, Dropout dropout) = Single(0.5, 30);
        (Sequential fresh, Dropout freshDropout) = Single(0.5, 30);
        float[] x = LayerReference.Normals(4 * 30, 9);
        float[] g = LayerReference.Normals(4 * 30, 10);
        (float[] y, float[] dx) = LayerGradientTests.ForwardBackward(model, x, g, mode);
        Assert.Equal(x, y);
        Assert.Equal(g, dx);
        Assert.True(dropout.Mask.IsEmpty);
        // Looking at the model did not advance its mask stream: its next training mask is a fresh model's first.
        Assert.Equal(Run(fresh, freshDropout, x, PassMode.Train), Run(model, dropout, x, PassMode.Train));
    }

    [Fact]
    public void RateZero_TrainIsTheIdentity()
    {
        (Sequential model, Dropout dropout) = Single(0, 30);
        float[] x = LayerReference.Normals(4 * 30, 11);
        Assert.Equal(x, Run(model, dropout, x, PassMode.Train));
    }

    [Fact]
    public void Masks_SameSeedSameMasks_NewStepNewMask_OtherSeedOtherMask_InitializeRestarts()
    {
        float[] x = [.. Enumerable.Repeat(1f, 8 * 64)];
        (Sequential a, Dropout da) = Single(0.5, 64, seed: 21);
        (Sequential b, Dropout db) = Single(0.5, 64, seed: 21);
        (Sequential c, Dropout dc) = Single(0.5, 64, seed: 22);
        float[] first = Run(a, da, x, PassMode.Train);
        float[] second = Run(a, da, x, PassMode.Train);
        Assert.Equal(first, Run(b, db, x, PassMode.Train));
        Assert.Equal(second, Run(b, db, x, PassMode.Train));
        Assert.NotEqual(first, second);
        Assert.NotEqual(first, Run(c, dc, x, PassMode.Train));
        a.Initialize(21);
        Assert.Equal(first, Run(a, da, x, PassMode.Train));
    }

    [Fact]
    public void Masks_TwoDropoutLayers_DrawFromTheirOwnStreams()
    {
        var first = new Dropout(0.5);
        var second = new Dropout(0.5);
        var model = new Sequential(64, [first, second], seed: 4) { Threads = 1 };
        model.Forward([.. Enumerable.Repeat(1f, 8 * 64)], 8, PassMode.Train);
        Assert.NotEqual(first.Mask.ToArray(), second.Mask.ToArray());
    }

    /// <summary>A model built without a generator (what a loader does) draws from the fixed stream
    /// <see cref="Dropout.LoadedModelKey"/>: deterministic, the same for any saved seed.</summary>
    [Fact]
    public void LoadedModel_NoGenerator_UsesTheFixedStreamWhateverTheSeed()
    {
        float[] x = [.. Enumerable.Repeat(1f, 8 * 64)];
        var a = new Dropout(0.5);
        var b = new Dropout(0.5);
        Sequential loadedA = Sequential.Uninitialized(64, [a], seed: 1);
        Sequential loadedB = Sequential.Uninitialized(64, [b], seed: 99);
        float[] maskA = Run(loadedA, a, x, PassMode.Train);
        Assert.Equal(maskA, Run(loadedB, b, x, PassMode.Train));
        Assert.Contains(0f, maskA);
        (Sequential seeded, Dropout d) = Single(0.5, 64, seed: 1);
        Assert.NotEqual(maskA, Run(seeded, d, x, PassMode.Train));
    }

    private static float[] Train(int threads)
    {
        const int Inputs = 48, Batch = 64;
        var model = new Sequential([4, 4, 3], [
            new MaxPool2D(2, strides: 1, padding: "same"),
            new Dropout(0.2),
            new Dense(96, "relu", "he_normal"),
            new Dropout(0.5),
            new Dense(96, "relu", "he_normal"),
            new Dense(10),
        ], seed: 12) { Threads = threads };
        Assert.Equal(Inputs, model.InputDim);
        model.Compile(new CategoricalCrossEntropy(sparse: true, fromLogits: true), new Sgd(0.05, momentum: 0.9));
        Tensor x = LayerReference.NormalTensor(4 * Batch, Inputs, 13);
        Tensor y = new([.. Enumerable.Range(0, 4 * Batch).Select(i => (float)(i * 3 % 10))], 4 * Batch, 1);
        model.Fit(x, y, new FitOptions { Epochs = 2, BatchSize = Batch, ShuffleSeed = 6 });
        return [.. LayerReference.Snapshot(model), .. model.Predict(x).Data];
    }

    [Fact]
    public void Training_OneOrTwoThreads_SameBits()
    {
        float[] one = Train(1);
        float[] two = Train(2);
        Assert.All(one, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(one[i]) == BitConverter.SingleToInt32Bits(two[i]), $"2 threads differ at {i}: {one[i]} vs {two[i]}");
        }
    }

    [Theory]
    [InlineData(1.0, "got 1")]
    [InlineData(-0.1, "got -0.1")]
    [InlineData(double.NaN, "got NaN")]
    public void Rate_OutsideZeroToOne_NamesRateAndValue(double rate, string received)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate));
        Assert.Equal("rate", error.ParamName);
        Assert.Contains(received, error.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1)", error.Message, StringComparison.Ordinal);
    }
}
