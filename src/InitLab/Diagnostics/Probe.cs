using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using InitLab.Common;
using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>Measures a model on a batch through the engine's buffers: one forward and backward pass, no update.</summary>
public static class Probe
{
    /// <summary>Thresholds for "saturated": tanh |a| &gt; 0.99; sigmoid a &lt; 0.01 or a &gt; 0.99.</summary>
    public const double TanhSaturation = 0.99;

    /// <summary>Sigmoid saturation margin.</summary>
    public const double SigmoidSaturation = 0.01;

    /// <summary>Runs (x, y) through the compiled model and summarises every layer.</summary>
    /// <param name="model">A compiled model.</param>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets.</param>
    /// <returns>The snapshot.</returns>
    public static ModelSnapshot Measure(Sequential model, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(model);
        double loss = model.ComputeGradients(x, y);
        return new ModelSnapshot([.. model.DenseLayers.Select(Summarize)], loss);
    }

    /// <summary>Summarises a layer's current buffers.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The layer snapshot.</returns>
    public static LayerSnapshot Summarize(Dense layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ReadOnlySpan<float> z = layer.PreActivation, a = layer.Output;
        (double zMean, double zStd, double zSquare) = MeanStd(z);
        (double aMean, double aStd, _) = MeanStd(a);
        string activation = layer.Activation.Name;
        double kernelNorm = TensorPrimitives.Norm(layer.KernelGradient);
        double biasNorm = layer.UseBias ? TensorPrimitives.Norm(layer.BiasGradient) : 0;
        return new LayerSnapshot(layer.Name, layer.Units, activation, zMean, zStd, zSquare, aMean, aStd,
            DeadFraction(a, layer.Units, activation), SaturatedFraction(a, activation),
            kernelNorm, biasNorm, Math.Sqrt(kernelNorm * kernelNorm + biasNorm * biasNorm));
    }

    /// <summary>Mean, population std and mean square of <paramref name="values"/> (accumulated in double); zeros when empty.</summary>
    internal static (double Mean, double Std, double MeanSquare) MeanStd(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return (0, 0, 0);
        }
        SampleMoments moments = SampleStatistics.Moments(values); // one pass: the monitor calls this on whole kernels
        return (moments.Mean, moments.PopulationStandardDeviation, moments.MeanSquare);
    }

    /// <summary>Fraction of units (columns) that are not positive on any row (ReLU family; 0 otherwise).</summary>
    internal static double DeadFraction(ReadOnlySpan<float> a, int units, string activation)
    {
        if (!(activation == "relu" || activation.StartsWith("leaky_relu", StringComparison.Ordinal)) || a.IsEmpty)
        {
            return 0;
        }
        int rows = a.Length / units, dead = 0;
        for (int j = 0; j < units; j++)
        {
            bool active = false;
            for (int r = 0; r < rows && !active; r++)
            {
                active = a[r * units + j] > 0;
            }
            dead += active ? 0 : 1;
        }
        return (double)dead / units;
    }

    /// <summary>Fraction of activations in the flat tails: tanh |a| &gt; <paramref name="tanhThreshold"/>, sigmoid within
    /// <paramref name="sigmoidMargin"/> of 0 or 1 (0 for other activations).</summary>
    internal static double SaturatedFraction(ReadOnlySpan<float> a, string activation, double tanhThreshold = TanhSaturation, double sigmoidMargin = SigmoidSaturation)
    {
        if (a.IsEmpty || activation is not ("tanh" or "sigmoid"))
        {
            return 0;
        }
        int saturated = 0;
        foreach (float v in a)
        {
            bool flat = activation == "tanh" ? Math.Abs(v) > tanhThreshold : v < sigmoidMargin || v > 1 - sigmoidMargin;
            saturated += flat ? 1 : 0;
        }
        return (double)saturated / a.Length;
    }
}
