using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Every layer written out again in double from its textbook formula, reading the model's float weights (or, for one
/// parameter, values the caller substitutes): the independent side of the gradient checks and forward-value tests.
/// Dense: a = φ(x·W + b); batch normalization per feature j over the rows, x̂ = (x − μ_j)/√(σ²_j + ε) with the biased
/// variance (or the running statistics for <see cref="PassMode.Infer"/>), y = γ·x̂ + β; layer normalization the same per
/// row over the features; residual y = s(x) + α·F(x) with s the identity or x·P; scalar bias y = x + b. Only the
/// elementwise activations φ come from the library (instantiated for double; they have their own reference tests).
/// </summary>
internal static class LayerReference
{
    /// <summary>The model's output for <paramref name="x"/> (rows×InputDim), with the parameter whose value array is
    /// <paramref name="replaced"/> taking <paramref name="values"/> instead.</summary>
    public static double[] Forward(Sequential model, double[] x, int rows, PassMode mode, float[]? replaced = null, double[]? values = null)
    {
        double[] current = x;
        int width = model.InputDim;
        foreach (Layer layer in model.Layers)
        {
            current = Forward(layer, current, rows, width, mode, replaced, values);
            width = layer.OutputDim;
        }
        return current;
    }

    public static double[] Forward(Layer layer, double[] x, int rows, int width, PassMode mode, float[]? replaced, double[]? values)
    {
        double[] Read(float[] array) => ReferenceEquals(array, replaced) ? values! : [.. array.Select(v => (double)v)];
        switch (layer)
        {
            case Dense dense:
                return DenseForward(dense, x, rows, width, Read(dense.KernelArray), dense.UseBias ? Read(dense.BiasArray) : null);
            case BatchNormalization bn:
                {
                    double[] gamma = Read(bn.OwnParameters[0].Value);
                    double[] beta = Read(bn.OwnParameters[1].Value);
                    if (mode == PassMode.Infer)
                    {
                        double[] mean = [.. bn.MovingMean.ToArray().Select(v => (double)v)];
                        double[] variance = [.. bn.MovingVariance.ToArray().Select(v => (double)v)];
                        return Normalize(x, rows, width, gamma, beta, bn.Epsilon, (r, j) => j, mean, variance);
                    }
                    (double[] batchMean, double[] batchVariance) = ColumnMoments(x, rows, width);
                    return Normalize(x, rows, width, gamma, beta, bn.Epsilon, (r, j) => j, batchMean, batchVariance);
                }
            case LayerNormalization ln:
                {
                    double[] gamma = Read(ln.OwnParameters[0].Value);
                    double[] beta = Read(ln.OwnParameters[1].Value);
                    (double[] rowMean, double[] rowVariance) = RowMoments(x, rows, width);
                    return Normalize(x, rows, width, gamma, beta, ln.Epsilon, (r, j) => r, rowMean, rowVariance);
                }
            case Residual block:
                {
                    double[] branch = x;
                    int branchWidth = width;
                    foreach (Layer inner in block.Branch)
                    {
                        branch = Forward(inner, branch, rows, branchWidth, mode, replaced, values);
                        branchWidth = inner.OutputDim;
                    }
                    double[] shortcut = block.Projection is null ? x : Forward(block.Projection, x, rows, width, mode, replaced, values);
                    double alpha = block.TrainableAlpha ? Read(block.OwnParameters[0].Value)[0] : block.Alpha;
                    return [.. shortcut.Zip(branch, (s, f) => s + alpha * f)];
                }
            case ActivationLayer activation:
                {
                    var a = new double[x.Length];
                    activation.Activation.Forward<double>(x, a, width);
                    return a;
                }
            case ScalarBias bias:
                {
                    double b = Read(bias.OwnParameters[0].Value)[0];
                    return [.. x.Select(v => v + b)];
                }
            default:
                throw new NotSupportedException(layer.KindName);
        }
    }

    private static double[] DenseForward(Dense dense, double[] x, int rows, int width, double[] kernel, double[]? bias)
    {
        int units = dense.Units;
        var z = new double[rows * units];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < units; j++)
            {
                double sum = bias?[j] ?? 0;
                for (int i = 0; i < width; i++)
                {
                    sum += x[r * width + i] * kernel[i * units + j];
                }
                z[r * units + j] = sum;
            }
        }
        var a = new double[z.Length];
        dense.Activation.Forward<double>(z, a, units);
        return a;
    }

    /// <summary>y[r, j] = γ_j·(x[r, j] − μ_k)/√(σ²_k + ε) + β_j with k = <paramref name="statistic"/>(r, j).</summary>
    private static double[] Normalize(double[] x, int rows, int width, double[] gamma, double[] beta, double epsilon,
        Func<int, int, int> statistic, double[] mean, double[] variance)
    {
        var y = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < width; j++)
            {
                int k = statistic(r, j);
                y[r * width + j] = gamma[j] * (x[r * width + j] - mean[k]) / Math.Sqrt(variance[k] + epsilon) + beta[j];
            }
        }
        return y;
    }

    /// <summary>Per column: mean and biased variance over the rows.</summary>
    public static (double[] Mean, double[] Variance) ColumnMoments(double[] x, int rows, int width)
    {
        var mean = new double[width];
        var variance = new double[width];
        for (int j = 0; j < width; j++)
        {
            for (int r = 0; r < rows; r++)
            {
                mean[j] += x[r * width + j] / rows;
            }
            for (int r = 0; r < rows; r++)
            {
                double d = x[r * width + j] - mean[j];
                variance[j] += d * d / rows;
            }
        }
        return (mean, variance);
    }

    /// <summary>Per row: mean and biased variance over the features.</summary>
    public static (double[] Mean, double[] Variance) RowMoments(double[] x, int rows, int width)
    {
        var mean = new double[rows];
        var variance = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < width; j++)
            {
                mean[r] += x[r * width + j] / width;
            }
            for (int j = 0; j < width; j++)
            {
                double d = x[r * width + j] - mean[r];
                variance[r] += d * d / width;
            }
        }
        return (mean, variance);
    }

    public static float[] Normals(int count, ulong seed, double scale = 1, double shift = 0)
    {
        var rng = new Rng(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(shift + scale * rng.NextNormal()))];
    }

    public static Tensor NormalTensor(int rows, int cols, ulong seed, double scale = 1, double shift = 0) =>
        new(Normals(rows * cols, seed, scale, shift), rows, cols);

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }
        return result;
    }

    /// <summary>Every parameter's value and gradient and every layer's state, in order: what two runs must agree on bit
    /// for bit.</summary>
    public static float[] Snapshot(Sequential model)
    {
        var all = new List<float>();
        foreach (Parameter p in model.Parameters)
        {
            all.AddRange(p.Value);
            all.AddRange(p.Gradient);
        }
        foreach (Layer layer in model.AllLayers)
        {
            foreach ((string _, float[] values) in layer.State)
            {
                all.AddRange(values);
            }
        }
        return [.. all];
    }
}
