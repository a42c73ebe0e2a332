using InitLab.Kernels;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

public class DenseGradientTests
{
    public static TheoryData<bool, string, string, string> Cases()
    {
        var data = new TheoryData<bool, string, string, string>();
        foreach (bool useBias in new[] { true, false })
        {
            foreach (string hidden in new[] { "tanh", "relu", "sigmoid", "gelu" })
            {
                data.Add(useBias, hidden, "linear", "mse");
                data.Add(useBias, hidden, "sigmoid", "binary_crossentropy");
                data.Add(useBias, hidden, "softmax", "sparse_categorical_crossentropy");
            }
        }
        return data;
    }

    /// <summary>
    /// The engine's float32 backward pass against central differences of the same network evaluated in double
    /// (library activations and losses instantiated for double, Gemm's double reference). The analytic side is float32,
    /// so the bound is float-level: 1e-4 relative, far below the O(1) error any wrong term would cause.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_MatchesCentralDifferencesOfDoubleForward(bool useBias, string hidden, string output, string lossName)
    {
        const int rows = 5, inputs = 3, width = 4;
        int outputs = output == "sigmoid" ? 1 : output == "softmax" ? 3 : 2;
        var model = new Sequential(inputs,
            [new Dense(width, hidden, "glorot_normal", "random_normal", useBias), new Dense(outputs, output, "glorot_normal", "random_normal", useBias)], seed: 5)
        { Threads = 1 };
        Loss loss = LossRegistry.Resolve(lossName);
        model.Compile(loss, new Sgd());
        var rng = new Rng(9);
        float[] x = [.. Enumerable.Range(0, rows * inputs).Select(_ => (float)rng.Uniform(-1.5, 1.5))];
        float[] y = loss.TargetKind == TargetKind.ClassIndex
            ? [.. Enumerable.Range(0, rows).Select(_ => (float)rng.NextInt(outputs))]
            : loss is BinaryCrossEntropy ? [.. Enumerable.Range(0, rows).Select(_ => (float)rng.NextInt(2))]
            : [.. Enumerable.Range(0, rows * outputs).Select(_ => (float)rng.Uniform(-1, 1))];

        // One forward and backward pass without an update fills the gradients (the path Fit takes, fused loss included).
        model.ComputeGradients(new Tensor(x, rows, inputs), new Tensor(y, rows, y.Length / rows));

        foreach (var parameter in model.Parameters)
        {
            double[] point = [.. parameter.Value.Select(v => (double)v)];
            double Objective(double[] values)
            {
                return DoubleLoss(model, parameter, values, x, y, rows, loss);
            }
            double[] numerical = GradientCheck.Numerical(point, Objective, 1e-6);
            double[] analytic = [.. parameter.Gradient.Select(g => (double)g)];
            double error = GradientCheck.RelativeError(analytic, numerical);
            Assert.True(error < 1e-4, $"{parameter.Name}: relative error {error}");
        }
    }

    private static double DoubleLoss(Sequential model, Parameter replaced, double[] values, float[] x, float[] y, int rows, Loss loss)
    {
        double[] current = [.. x.Select(v => (double)v)];
        int width = model.InputDim;
        foreach (Dense layer in model.Layers)
        {
            double[] kernel = replaced.Value == layer.KernelArray ? values : [.. layer.KernelArray.Select(v => (double)v)];
            double[] bias = layer.UseBias && replaced.Value == layer.BiasArray ? values : [.. layer.BiasArray.Select(v => (double)v)];
            var z = new double[rows * layer.Units];
            Gemm.ReferenceDouble(current, false, kernel, false, z, rows, layer.Units, width);
            for (int r = 0; r < rows && layer.UseBias; r++)
            {
                for (int j = 0; j < layer.Units; j++)
                {
                    z[r * layer.Units + j] += bias[j];
                }
            }
            var a = new double[z.Length];
            layer.Activation.Forward<double>(z, a, layer.Units);
            current = a;
            width = layer.Units;
        }
        return loss.Compute<double>(current, [.. y.Select(v => (double)v)], new double[current.Length], rows, width);
    }
}
