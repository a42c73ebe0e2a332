using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 21: a residual model with batch and layer normalization gives the same bits on 1 and 2 threads, and with
/// the layer-by-layer update or the separate pass — outputs, gradients, trained weights, α and running statistics.</summary>
public class ResidualNormDeterminismTests
{
    private const int Inputs = 48;
    private const int Width = 96;
    private const int Batch = 64;

    /// <summary>Wide enough that the GEMMs split across threads.</summary>
    internal static Sequential Model(int threads) =>
        new(Inputs, [
            new Dense(Width, "relu", "he_normal"),
            new Residual([new LayerNormalization(), new Dense(Width, "relu", "he_normal"), new BatchNormalization(), new Dense(Width)], alpha: 0.5f, trainableAlpha: true),
            new Residual([new BatchNormalization(), new ActivationLayer("gelu"), new ScalarBias(0.1f), new Dense(Width / 2, "tanh")]),
            new LayerNormalization(),
            new Dense(10),
        ], seed: 8) { Threads = threads };

    private static float[] Run(int threads, bool layerByLayer, Optimizer optimizer)
    {
        Sequential model = Model(threads);
        model.UpdateLayerByLayer = layerByLayer;
        model.Compile(new CategoricalCrossEntropy(sparse: true, fromLogits: true), optimizer);
        Tensor x = LayerReference.NormalTensor(4 * Batch, Inputs, 21);
        Tensor y = new([.. Enumerable.Range(0, 4 * Batch).Select(i => (float)(i * 7 % 10))], 4 * Batch, 1);
        var all = new List<float>();
        all.AddRange(model.Forward(x).Data);
        all.AddRange(model.Backward(LayerReference.NormalTensor(4 * Batch, 10, 22)).Data);
        all.AddRange(LayerReference.Snapshot(model));
        model.Fit(x, y, new FitOptions { Epochs = 2, BatchSize = Batch, ShuffleSeed = 5 });
        all.AddRange(LayerReference.Snapshot(model));
        all.AddRange(model.Predict(x).Data);
        return [.. all];
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Training_OneOrTwoThreads_LayerByLayerOrNot_SameBits(string optimizer)
    {
        Optimizer Make() => optimizer == "sgd" ? new Sgd(0.05, momentum: 0.9) : new Adam(1e-3);
        float[] reference = Run(1, layerByLayer: true, Make());
        Assert.All(reference, v => Assert.True(float.IsFinite(v)));
        float[] twoThreads = Run(2, layerByLayer: true, Make());
        float[] separatePass = Run(1, layerByLayer: false, Make());
        Assert.Equal(reference.Length, twoThreads.Length);
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(twoThreads[i]), $"2 threads differ at {i}: {reference[i]} vs {twoThreads[i]}");
            Assert.True(BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(separatePass[i]), $"separate update differs at {i}: {reference[i]} vs {separatePass[i]}");
        }
    }
}
