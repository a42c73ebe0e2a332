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
        var snapshot = new ModelSnapshot([.. model.DenseLayers.Select(Summarize)], loss);
        return model.IsPlainDenseStack ? snapshot : snapshot with
        {
            Blocks = Blocks(model),
            Normalizations = Normalizations(model),
            Stream = [.. model.Layers.Select(SummarizeOutput)],
        };
    }

    /// <summary>Every residual block of the model's last forward pass, in forward order (nested blocks after their parent).</summary>
    /// <param name="model">A model that has run a forward pass.</param>
    /// <returns>Per block.</returns>
    public static IReadOnlyList<BlockSnapshot> Blocks(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.AllLayers.OfType<Residual>().Select(Summarize)];
    }

    /// <summary>Every BatchNormalization and LayerNormalization output of the model's last forward pass, in forward order.</summary>
    /// <param name="model">A model that has run a forward pass.</param>
    /// <returns>Per normalization layer.</returns>
    public static IReadOnlyList<OutputSnapshot> Normalizations(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.AllLayers.Where(IsNormalization).Select(SummarizeOutput)];
    }

    /// <summary>Summarises a block's last forward pass: input, branch F(x) before α, shortcut s(x) and output y.</summary>
    /// <param name="block">The block.</param>
    /// <returns>The block snapshot.</returns>
    public static BlockSnapshot Summarize(Residual block)
    {
        ArgumentNullException.ThrowIfNull(block);
        // The block's input: what the projection read, or the identity shortcut itself.
        ReadOnlySpan<float> input = block.Projection is Dense projection ? projection.Input : block.ShortcutOutput;
        (_, _, double inputSquare) = MeanStd(input);
        (_, double branchStd, double branchSquare) = MeanStd(block.BranchOutput);
        (_, double shortcutStd, double shortcutSquare) = MeanStd(block.ShortcutOutput);
        (_, double outputStd, double outputSquare) = MeanStd(block.Output);
        return new BlockSnapshot(block.Name, block.OutputDim, block.Alpha, inputSquare, branchSquare, branchStd, shortcutSquare, shortcutStd,
            outputSquare, outputStd, block.Branch.Any(IsNormalization));
    }

    /// <summary>Summarises any layer's output of the last forward pass.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>Mean, std and mean square of its output.</returns>
    public static OutputSnapshot SummarizeOutput(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        (double mean, double std, double square) = MeanStd(layer.Output);
        return new OutputSnapshot(layer.Name, layer.KindName, layer.OutputDim, mean, std, square);
    }

    /// <summary>Whether a layer normalizes its input (batch or layer normalization), which resets the signal's scale to γ's.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>True for BatchNormalization and LayerNormalization.</returns>
    public static bool IsNormalization(Layer layer) => layer is BatchNormalization or LayerNormalization;

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
