using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Tests.Optimizers;
using InitLab.Training;

namespace InitLab.Tests.Training;

/// <summary>
/// A training step updates each layer right after its backward pass (while its weights and gradients are in cache)
/// instead of in one pass after the whole backward pass. Each built-in rule reads only its own parameter's values,
/// gradient and state, so the two orders must give the same bits: every rule, with and without L2 and weight decay, a
/// layer without bias among layers with, 1 and 2 threads, through TrainBatch and Fit.
/// </summary>
public class LayerByLayerUpdateTests
{
    public static TheoryData<string, double, double, int> Cases()
    {
        var data = new TheoryData<string, double, double, int>();
        foreach (string name in OptimizerHarness.RuleNames)
        {
            data.Add(name, 0, 0, 1);
            data.Add(name, 0.3, 0.2, 1);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainBatch_LayerByLayerAndAfterwards_BitIdentical(string rule, double weightDecay, double l2, int threads)
    {
        Sequential byLayer = Create(rule, weightDecay, l2, threads, layerByLayer: true);
        Sequential afterwards = Create(rule, weightDecay, l2, threads, layerByLayer: false);
        (Tensor x, Tensor y) = Batch();
        for (int step = 0; step < 4; step++)
        {
            Assert.Equal(afterwards.TrainBatch(x, y), byLayer.TrainBatch(x, y));
        }
        AssertSameParameters(afterwards, byLayer);
        Assert.Equal(afterwards.Optimizer!.Iterations, byLayer.Optimizer!.Iterations);
    }

    [Fact]
    public void Fit_LayerByLayerAndAfterwards_BitIdentical()
    {
        Sequential byLayer = Create("adam", 0.1, 0, 1, layerByLayer: true);
        Sequential afterwards = Create("adam", 0.1, 0, 1, layerByLayer: false);
        (Tensor x, Tensor y) = Batch();
        var options = new FitOptions { Epochs = 3, BatchSize = 8 };
        byLayer.Fit(x, y, options);
        afterwards.Fit(x, y, options);
        AssertSameParameters(afterwards, byLayer);
    }

    private static Sequential Create(string rule, double weightDecay, double l2, int threads, bool layerByLayer)
    {
        // The middle layer has no bias, so the layer-to-parameter mapping is not a fixed stride.
        var model = new Sequential(5, [new Dense(7, "tanh"), new Dense(6, "relu", "he_normal", useBias: false), new Dense(3, "linear")], seed: 9)
        {
            Threads = threads,
            UpdateLayerByLayer = layerByLayer,
        };
        model.Compile(new CategoricalCrossEntropy(sparse: true, fromLogits: true), OptimizerHarness.CreateRule(rule, weightDecay, l2));
        return model;
    }

    private static (Tensor X, Tensor Y) Batch()
    {
        var rng = new Rng(3);
        var x = new float[24 * 5];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextNormal();
        }
        var y = new float[24];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = rng.NextInt(3);
        }
        return (new Tensor(x, 24, 5), new Tensor(y, 24, 1));
    }

    private static void AssertSameParameters(Sequential expected, Sequential actual)
    {
        Assert.Equal(expected.Parameters.Count, actual.Parameters.Count);
        for (int i = 0; i < expected.Parameters.Count; i++)
        {
            Assert.Equal(expected.Parameters[i].Value, actual.Parameters[i].Value);
        }
    }
}
