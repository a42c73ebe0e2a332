using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Training;

public class SequentialResearchTests
{
    // float forward/backward against a double forward written here: float rounding (~1e-7 per operation, a few dozen
    // operations deep) stays far below 1e-4; central differences in double with h = 1e-5 are accurate to ~1e-10.
    private const double FloatTolerance = 1e-4;

    private static Sequential SmoothModel(string last = "linear") =>
        new(5, [new Dense(7, "tanh", "glorot_normal", "random_normal"), new Dense(6, "softplus", "he_normal", "random_normal"),
            new Dense(3, last, "glorot_uniform", "random_normal")], seed: 11);

    private static Tensor RandomTensor(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)rng.NextNormal();
        }
        return new Tensor(data, rows, cols);
    }

    /// <summary>The network in double, written out from its weights: a = φ(x·W + b), with the activations by formula.</summary>
    private static double[] ForwardInDouble(Sequential model, double[] x)
    {
        double[] a = x;
        foreach (Dense layer in model.Layers)
        {
            var z = new double[layer.Units];
            float[] kernel = layer.Kernel.ToArray();
            float[] bias = layer.Bias.ToArray();
            for (int j = 0; j < layer.Units; j++)
            {
                double sum = layer.UseBias ? bias[j] : 0;
                for (int i = 0; i < layer.InputDim; i++)
                {
                    sum += a[i] * kernel[i * layer.Units + j];
                }
                z[j] = sum;
            }
            string name = layer.Activation.Name;
            if (name == "softmax")
            {
                double max = z.Max();
                double total = z.Sum(v => Math.Exp(v - max));
                a = [.. z.Select(v => Math.Exp(v - max) / total)];
                continue;
            }
            a = [.. z.Select(v => name switch
            {
                "tanh" => Math.Tanh(v),
                "softplus" => Math.Log(1 + Math.Exp(v)),
                "sigmoid" => 1 / (1 + Math.Exp(-v)),
                "linear" => v,
                _ => throw new NotSupportedException(name),
            })];
        }
        return a;
    }

    private static double[] Row(Tensor t, int r) => [.. t.Data.AsSpan(r * t.Shape[1], t.Shape[1]).ToArray().Select(v => (double)v)];

    [Theory]
    [InlineData("linear")]
    [InlineData("softmax")]
    [InlineData("sigmoid")]
    public void Backward_RandomOutputGradient_MatchesCentralDifferencesInDouble(string last)
    {
        Sequential model = SmoothModel(last);
        Tensor x = RandomTensor(4, 5, 21);
        Tensor g = RandomTensor(4, 3, 22);
        model.Forward(x);
        Tensor dx = model.Backward(g);
        Assert.Equal([4, 5], dx.Shape);
        for (int r = 0; r < 4; r++)
        {
            double[] gr = Row(g, r);
            double[] numerical = GradientCheck.Numerical(Row(x, r), p => ForwardInDouble(model, p).Select((a, j) => a * gr[j]).Sum(), 1e-5);
            double error = GradientCheck.RelativeError(Row(dx, r), numerical);
            Assert.True(error < FloatTolerance, $"row {r}: relative error {error:E2}");
        }
    }

    [Fact]
    public void Forward_ReturnsTheSameOutputsAsTheDoubleNetwork()
    {
        Sequential model = SmoothModel();
        Tensor x = RandomTensor(3, 5, 5);
        Tensor a = model.Forward(x);
        for (int r = 0; r < 3; r++)
        {
            double[] expected = ForwardInDouble(model, Row(x, r));
            double[] actual = Row(a, r);
            Assert.True(GradientCheck.RelativeError(actual, expected) < FloatTolerance);
        }
    }

    [Fact]
    public void Backward_UnitOutputGradients_RowsAreTheJacobianRows()
    {
        // Three copies of one input with e_0, e_1, e_2 as cotangents: row j of the result is ∂a_j/∂x.
        Sequential model = SmoothModel();
        Tensor one = RandomTensor(1, 5, 9);
        var x = new Tensor([.. one.Data, .. one.Data, .. one.Data], 3, 5);
        var identity = new Tensor([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3);
        Tensor jacobian = model.VectorJacobianProduct(x, identity);
        for (int j = 0; j < 3; j++)
        {
            double[] numerical = GradientCheck.Numerical(Row(one, 0), p => ForwardInDouble(model, p)[j], 1e-5);
            Assert.True(GradientCheck.RelativeError(Row(jacobian, j), numerical) < FloatTolerance);
        }
    }

    [Fact]
    public void InputGradient_FusedSoftmaxCrossEntropy_MatchesCentralDifferencesInDouble()
    {
        Sequential model = SmoothModel("softmax");
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd(0.1));
        Tensor x = RandomTensor(4, 5, 31);
        int[] labels = [2, 0, 1, 2];
        var y = new Tensor([.. labels.Select(l => (float)l)], 4, 1);
        (Tensor dx, double loss) = model.InputGradient(x, y);

        // L = (1/rows) Σ_r −log p_r[y_r]; perturbing row r changes only its own term.
        double expectedLoss = 0;
        for (int r = 0; r < 4; r++)
        {
            int label = labels[r];
            expectedLoss -= Math.Log(ForwardInDouble(model, Row(x, r))[label]) / 4;
            double[] numerical = GradientCheck.Numerical(Row(x, r), p => -Math.Log(ForwardInDouble(model, p)[label]) / 4, 1e-5);
            Assert.True(GradientCheck.RelativeError(Row(dx, r), numerical) < FloatTolerance, $"row {r}");
        }
        Assert.Equal(expectedLoss, loss, 1e-5);
    }

    [Fact]
    public void Backward_MeanSquaredErrorGradient_GivesTheSameKernelGradientsAsComputeGradients()
    {
        Sequential model = SmoothModel();
        model.Compile(new MeanSquaredError(), new Sgd(0.1));
        Tensor x = RandomTensor(6, 5, 41);
        Tensor y = RandomTensor(6, 3, 42);
        model.ComputeGradients(x, y);
        float[][] expected = [.. model.DenseLayers.Select(l => l.KernelGradient.ToArray())];

        // ∂/∂a of mean((a − y)²) over all 18 entries is 2(a − y)/18.
        Tensor a = model.Forward(x);
        var g = new float[18];
        for (int i = 0; i < 18; i++)
        {
            g[i] = 2 * (a.Data[i] - y.Data[i]) / 18;
        }
        model.Backward(new Tensor(g, 6, 3));
        for (int l = 0; l < model.Layers.Count; l++)
        {
            double[] actual = [.. model.DenseLayers[l].KernelGradient.ToArray().Select(v => (double)v)];
            Assert.True(GradientCheck.RelativeError(actual, [.. expected[l].Select(v => (double)v)]) < 1e-5, $"layer {l}");
        }
    }

    [Fact]
    public void Backward_WithoutForward_ThrowsAndSaysWhatToDo()
    {
        Sequential model = SmoothModel();
        var ex = Assert.Throws<InvalidOperationException>(() => model.Backward(new Tensor(2, 3)));
        Assert.Contains("call Forward(x) first", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_AfterPredictOverwroteTheBuffers_Throws()
    {
        Sequential model = SmoothModel();
        model.Forward(RandomTensor(2, 5, 1));
        model.Predict(RandomTensor(2, 5, 2));
        Assert.Throws<InvalidOperationException>(() => model.Backward(new Tensor(2, 3)));
    }

    [Fact]
    public void Backward_GradientOfWrongShape_ThrowsNamingBothShapes()
    {
        Sequential model = SmoothModel();
        model.Forward(RandomTensor(2, 5, 1));
        var ex = Assert.Throws<ArgumentException>(() => model.Backward(new Tensor(2, 4)));
        Assert.Equal("outputGradient", ex.ParamName);
        Assert.Contains("[2, 4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected [2, 3]", ex.Message, StringComparison.Ordinal);
    }
}
