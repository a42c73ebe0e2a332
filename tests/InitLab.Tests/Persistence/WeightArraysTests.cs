using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Weights to and from NumPy arrays in Keras (in, out) and PyTorch (out, in) layout.</summary>
public class WeightArraysTests
{
    private static Sequential Model(ulong seed) => new(3, [new Dense(4, "tanh"), new Dense(2, "linear")], seed);

    [Fact]
    public void ToArrays_PyTorch_WeightIsKernelTransposedAndNamed()
    {
        Sequential model = Model(1);
        Dense first = model.DenseLayers[0];

        var arrays = WeightArrays.ToArrays(model, WeightLayout.PyTorch);

        Assert.Equal(["dense_0.weight", "dense_0.bias", "dense_1.weight", "dense_1.bias"], arrays.Select(a => a.Key));
        NpyArray weight = arrays[0].Value;
        Assert.Equal([4, 3], weight.Shape);
        for (int i = 0; i < 3; i++)
        {
            for (int o = 0; o < 4; o++)
            {
                Assert.Equal(first.Kernel[i * 4 + o], weight.Values[o * 3 + i]);
            }
        }
    }

    [Fact]
    public void ExportPyTorch_ForwardFromArraysByHand_EqualsPredict()
    {
        // y = tanh(x·W0ᵀ + b0)·W1ᵀ + b1 computed in double from the exported (out, in) arrays alone.
        using var dir = new TempDirectory();
        Sequential model = Model(7);
        string path = dir.File("w.npz");
        WeightArrays.Export(model, path, WeightLayout.PyTorch);
        var a = NpzFile.Read(path);
        float[] x = [0.5f, -1.25f, 2f];

        double[] hidden = Affine(x.Select(v => (double)v).ToArray(), a["dense_0.weight"], a["dense_0.bias"]).Select(Math.Tanh).ToArray();
        double[] output = Affine(hidden, a["dense_1.weight"], a["dense_1.bias"]);
        Tensor predicted = model.Predict(new Tensor(x, 1, 3));

        for (int o = 0; o < 2; o++)
        {
            Assert.Equal(output[o], predicted.Data[o], 1e-5);
        }
    }

    [Theory]
    [InlineData(WeightLayout.Keras)]
    [InlineData(WeightLayout.PyTorch)]
    public void ExportThenImport_IntoOtherSeed_ReproducesWeightsExactly(WeightLayout layout)
    {
        using var dir = new TempDirectory();
        Sequential source = Model(1), target = Model(2);
        string path = dir.File("w.npz");

        WeightArrays.Export(source, path, layout);
        WeightArrays.Import(target, path, layout);

        for (int l = 0; l < 2; l++)
        {
            Assert.Equal(source.DenseLayers[l].Kernel.ToArray(), target.DenseLayers[l].Kernel.ToArray());
            Assert.Equal(source.DenseLayers[l].Bias.ToArray(), target.DenseLayers[l].Bias.ToArray());
        }
    }

    [Fact]
    public void Import_PositionalArrays_ReadInLayerOrder()
    {
        Sequential source = Model(1), target = Model(2);
        var named = WeightArrays.ToArrays(source, WeightLayout.Keras);
        var positional = named.Select((p, i) => new KeyValuePair<string, NpyArray>($"arr_{i}", p.Value)).ToDictionary();

        WeightArrays.Import(target, positional, WeightLayout.Keras, "get_weights.npz");

        Assert.Equal(source.DenseLayers[1].Kernel.ToArray(), target.DenseLayers[1].Kernel.ToArray());
    }

    [Fact]
    public void Import_WrongLayout_SaysTransposedAndLeavesModelUnchanged()
    {
        Sequential source = Model(1), target = Model(2);
        float[] before = target.DenseLayers[0].Kernel.ToArray();
        var torch = WeightArrays.ToArrays(source, WeightLayout.PyTorch)
            .Select(p => new KeyValuePair<string, NpyArray>(p.Key.Replace(".weight", ".kernel", StringComparison.Ordinal), p.Value)).ToDictionary();

        var ex = Assert.Throws<DataFormatException>(() => WeightArrays.Import(target, torch, WeightLayout.Keras, "w.npz"));

        Assert.Contains("'dense_0.kernel' has shape (4, 3), expected (3, 4)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("pytorch layout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.DenseLayers[0].Kernel.ToArray());
    }

    [Fact]
    public void Import_MissingAndExtraNames_AreNamed()
    {
        var arrays = WeightArrays.ToArrays(Model(1), WeightLayout.PyTorch).ToDictionary();
        arrays["dense_1.wieght"] = arrays["dense_1.weight"];
        arrays.Remove("dense_1.weight");

        var missing = Assert.Throws<DataFormatException>(() => WeightArrays.Import(Model(2), arrays, WeightLayout.PyTorch, "w.npz"));
        Assert.Contains("no array 'dense_1.weight'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'dense_1.wieght'?", missing.Message, StringComparison.Ordinal);

        var full = WeightArrays.ToArrays(Model(1), WeightLayout.PyTorch).ToDictionary();
        full["extra"] = full["dense_1.bias"];
        var extra = Assert.Throws<DataFormatException>(() => WeightArrays.Import(Model(2), full, WeightLayout.PyTorch, "w.npz"));
        Assert.Contains("not used: extra", extra.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLayout_Unknown_ListsValid()
    {
        var ex = Assert.Throws<ArgumentException>(() => WeightArrays.ParseLayout("tf"));

        Assert.Equal("layout", ex.ParamName);
        Assert.Contains("'tf'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("keras", ex.Message, StringComparison.Ordinal);
        Assert.Equal(WeightLayout.PyTorch, WeightArrays.ParseLayout("PyTorch"));
    }

    private static double[] Affine(double[] x, NpyArray weight, NpyArray bias)
    {
        int outputs = weight.Shape[0], inputs = weight.Shape[1];
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double sum = bias.Values[o];
            for (int i = 0; i < inputs; i++)
            {
                sum += (double)weight.Values[o * inputs + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }
}
