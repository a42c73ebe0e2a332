using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Dense's fused passes (bias + φ inside the GEMM's output pass; the bias gradient summed in the Jacobian pass) against
/// the separate passes (<see cref="Dense.FuseForward"/> and <see cref="Dense.FuseBackward"/> off) over whole training runs: same seed, same batches, so every
/// weight, activation, gradient and loss must have the same bits — each fusion only moves where an element's operations
/// run, never which operations. Every activation family, with and without bias, odd widths (edge tiles), rows large
/// enough for the threaded GEMM path, 1 and 2 threads.
/// </summary>
public class DenseFusionTests
{
    public static TheoryData<string, string, bool, int> Cases()
    {
        var data = new TheoryData<string, string, bool, int>();
        foreach (string hidden in new[] { "relu", "linear", "tanh", "sigmoid", "gelu", "leaky_relu", "elu", "selu", "softplus" })
        {
            foreach (bool useBias in new[] { true, false })
            {
                data.Add(hidden, "linear", useBias, 1);
                data.Add(hidden, "softmax", useBias, 2);
            }
        }
        data.Add("relu", "relu", true, 2);
        data.Add("relu", "sigmoid", true, 1);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingSteps_FusedAndSeparatePasses_BitIdentical(string hidden, string output, bool useBias, int threads)
    {
        (List<float[]> fused, List<double> fusedLosses) = Train(hidden, output, useBias, threads, fuse: true);
        (List<float[]> separate, List<double> separateLosses) = Train(hidden, output, useBias, threads, fuse: false);
        Assert.Equal(separateLosses, fusedLosses);
        for (int i = 0; i < separate.Count; i++)
        {
            Assert.True(separate[i].AsSpan().SequenceEqual(fused[i]), $"buffer {i} differs ({hidden}/{output}, bias {useBias}, {threads} threads)");
        }
    }

    [Fact]
    public void FusedForward_ReluLayer_ComputesBiasThenMaxPerElement()
    {
        // An independent check of what the fused pass computes: z and a worked out here in double from x, W and b.
        const int rows = 9, inputs = 11, units = 37;
        var model = new Sequential(inputs, [new Dense(units, "relu", "glorot_uniform", "random_uniform")], seed: 3) { Threads = 1 };
        model.DenseLayers[0].FuseForward = true;
        model.Compile(new MeanSquaredError(), new Sgd());
        var rng = new Rng(8);
        float[] x = [.. Enumerable.Range(0, rows * inputs).Select(_ => (float)rng.Uniform(-1, 1))];
        Tensor result = model.Predict(new Tensor(x, rows, inputs));
        Dense layer = model.DenseLayers[0];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < units; j++)
            {
                double z = layer.Bias[j];
                for (int p = 0; p < inputs; p++)
                {
                    z += (double)x[r * inputs + p] * layer.Kernel[p * units + j];
                }
                Assert.Equal(z, layer.PreActivation[r * units + j], 1e-5);
                Assert.Equal(Math.Max(z, 0), result.Data[r * units + j], 1e-5);
            }
        }
    }

    /// <summary>Five SGD-with-momentum steps on a 3-layer model; returns every layer buffer and weight afterwards, and the losses.</summary>
    private static (List<float[]> Buffers, List<double> Losses) Train(string hidden, string output, bool useBias, int threads, bool fuse)
    {
        const int rows = 70, inputs = 93, width = 181;
        int outputs = output == "softmax" ? 10 : 13;
        var model = new Sequential(inputs,
        [
            new Dense(width, hidden, "he_normal", "random_normal", useBias),
            new Dense(width - 24, hidden, "he_normal", "random_normal", useBias),
            new Dense(outputs, output, "glorot_uniform", "random_normal", useBias),
        ], seed: 21) { Threads = threads };
        foreach (Dense layer in model.Layers)
        {
            layer.FuseForward = fuse;
            layer.FuseBackward = fuse;
        }
        Loss loss = output == "softmax" ? new CategoricalCrossEntropy(sparse: true) : new MeanSquaredError();
        model.Compile(loss, new Sgd(0.05, momentum: 0.9));
        var rng = new Rng(4);
        float[] x = [.. Enumerable.Range(0, rows * inputs).Select(_ => (float)rng.NextNormal())];
        float[] y = output == "softmax"
            ? [.. Enumerable.Range(0, rows).Select(_ => (float)rng.NextInt(outputs))]
            : [.. Enumerable.Range(0, rows * outputs).Select(_ => (float)rng.Uniform(-1, 1))];
        var xt = new Tensor(x, rows, inputs);
        var yt = new Tensor(y, rows, y.Length / rows);
        var losses = new List<double>();
        for (int step = 0; step < 5; step++)
        {
            losses.Add(model.TrainBatch(xt, yt));
        }
        var buffers = new List<float[]>();
        foreach (Dense layer in model.Layers)
        {
            buffers.Add(layer.Kernel.ToArray());
            buffers.Add(layer.Bias.ToArray());
            buffers.Add(layer.PreActivation.ToArray());
            buffers.Add(layer.Output.ToArray());
            buffers.Add(layer.KernelGradient.ToArray());
            buffers.Add(layer.BiasGradient.ToArray());
            buffers.Add(layer.PreActivationGradient.ToArray());
        }
        return (buffers, losses);
    }
}
