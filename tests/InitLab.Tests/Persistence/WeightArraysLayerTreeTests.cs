using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 21: .npz export/import of residual and normalized networks, one array per parameter and per running
/// statistic, named by the layer path (dots for a .npz's slashes) in Keras or PyTorch vocabulary.</summary>
public class WeightArraysLayerTreeTests
{
    /// <summary>The residual net with running statistics moved off their start (mean 0, variance 1), so a lost or
    /// swapped statistic changes the output.</summary>
    private static Sequential Model(ulong seed)
    {
        Sequential model = ResidualNets.Build(5, 3, "softmax", seed);
        var rng = new InitLab.Random.Rng(seed + 100);
        foreach (BatchNormalization norm in model.AllLayers.OfType<BatchNormalization>())
        {
            for (int j = 0; j < norm.InputDim; j++)
            {
                norm.MovingMean[j] = (float)rng.NextNormal();
                norm.MovingVariance[j] = 0.5f + (float)rng.NextDouble();
            }
        }
        return model;
    }

    [Theory]
    [InlineData(WeightLayout.Keras)]
    [InlineData(WeightLayout.PyTorch)]
    public void ExportThenImportIntoOtherSeed_EveryTensorAndPredictionEqual(WeightLayout layout)
    {
        using var dir = new TempDirectory();
        Sequential source = Model(1), target = Model(2);
        string path = dir.File("w.npz");
        var x = new Tensor([.. Enumerable.Range(0, 20).Select(i => (float)Math.Sin(i))], 4, 5);
        Assert.NotEqual(source.Predict(x).Data, target.Predict(x).Data);

        WeightArrays.Export(source, path, layout);
        WeightArrays.Import(target, path, layout);

        Assert.Equal(source.Predict(x).Data, target.Predict(x).Data);
        Assert.Equal(source.Parameters.Select(p => p.Value), target.Parameters.Select(p => p.Value));
        Assert.Equal(source.AllLayers.SelectMany(l => l.State.Select(s => s.Values)), target.AllLayers.SelectMany(l => l.State.Select(s => s.Values)));
    }

    [Fact]
    public void ToArrays_Keras_NamesEveryParameterAndStatisticInGetWeightsOrder()
    {
        var names = WeightArrays.ToArrays(Model(1), WeightLayout.Keras).Select(a => a.Key).ToList();
        Assert.Equal(["residual_1.dense_0.kernel", "residual_1.dense_0.bias", "residual_1.batch_normalization_1.gamma", "residual_1.batch_normalization_1.beta",
            "residual_1.batch_normalization_1.moving_mean", "residual_1.batch_normalization_1.moving_variance", "residual_1.dense_3.kernel", "residual_1.dense_3.bias"],
            names.Skip(2).Take(8));
        Assert.Equal(["residual_3.shortcut.kernel", "residual_3.alpha", "batch_normalization_4.gamma", "batch_normalization_4.beta",
            "batch_normalization_4.moving_mean", "batch_normalization_4.moving_variance", "residual_5.scalar_bias_0.bias"],
            names.SkipWhile(n => n != "residual_3.shortcut.kernel").Take(7));
    }

    [Fact]
    public void ToArrays_PyTorch_UsesBatchNorm1dNamesAndOutInWeights()
    {
        var arrays = WeightArrays.ToArrays(Model(1), WeightLayout.PyTorch).ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal([32], arrays["residual_1.batch_normalization_1.running_var"].Shape);
        Assert.Equal([32], arrays["layer_normalization_2.weight"].Shape);
        Assert.Equal([16, 32], arrays["residual_3.shortcut.weight"].Shape);
        Assert.Equal([1], arrays["residual_3.alpha"].Shape);
        Assert.Equal([0.5f], arrays["residual_3.alpha"].Values);
        Assert.DoesNotContain(arrays.Keys, k => k.Contains("gamma", StringComparison.Ordinal) || k.Contains("moving", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_RunningVarianceOfWrongWidth_NamesArrayAndWhatItIs()
    {
        Sequential model = Model(1);
        var arrays = WeightArrays.ToArrays(model, WeightLayout.Keras).ToDictionary(a => a.Key, a => a.Value);
        arrays["batch_normalization_4.moving_variance"] = new NpyArray(new float[15], [15]);
        float[] before = [.. model.Parameters.SelectMany(p => p.Value)];

        var ex = Assert.Throws<DataFormatException>(() => WeightArrays.Import(model, arrays, WeightLayout.Keras, "w.npz"));

        Assert.Equal("w.npz: array 'batch_normalization_4.moving_variance' has shape (15,), expected (16,) (BatchNormalization moving_variance (16,)).", ex.Message);
        Assert.Equal(before, model.Parameters.SelectMany(p => p.Value));
    }

    [Fact]
    public void Import_PositionalArrays_ReadInGetWeightsOrder()
    {
        Sequential source = Model(1), target = Model(2);
        var positional = WeightArrays.ToArrays(source, WeightLayout.Keras).Select((a, i) => (Key: $"arr_{i}", a.Value)).ToDictionary(a => a.Key, a => a.Value);
        WeightArrays.Import(target, positional, WeightLayout.Keras, "keras.npz");
        Assert.Equal(source.AllLayers.SelectMany(l => l.State.Select(s => s.Values)), target.AllLayers.SelectMany(l => l.State.Select(s => s.Values)));
    }

    [Fact]
    public void ExportNpy_ResidualNet_OneFilePerTensorInOneFolder()
    {
        using var dir = new TempDirectory();
        Sequential model = Model(1);
        var files = ModelFile.ExportNpy(model, dir.File("npy"));
        Assert.Equal(WeightArrays.ToArrays(model, WeightLayout.Keras).Count, files.Count);
        NpyArray mean = NpyReader.Read(dir.File("npy/batch_normalization_4.moving_mean.npy"));
        Assert.Equal(((BatchNormalization)model.Layers[4]).MovingMean.ToArray(), mean.Values);
    }
}
