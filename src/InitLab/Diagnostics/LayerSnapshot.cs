namespace InitLab.Diagnostics;

/// <summary>What one layer looked like on one batch (after a forward and backward pass).</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Units">Width.</param>
/// <param name="Activation">Activation name.</param>
/// <param name="PreActivationMean">Mean of z over the batch and units.</param>
/// <param name="PreActivationStd">Std of z.</param>
/// <param name="PreActivationMeanSquare">E[z²], the quantity mean-field theory predicts (q_l).</param>
/// <param name="ActivationMean">Mean of a = φ(z).</param>
/// <param name="ActivationStd">Std of a.</param>
/// <param name="DeadFraction">Fraction of units inactive (a = 0) on every row of the batch (ReLU family; 0 otherwise).</param>
/// <param name="SaturatedFraction">Fraction of activations in the flat tails: tanh |a| &gt; 0.99, sigmoid a &lt; 0.01 or &gt; 0.99 (0 otherwise).</param>
/// <param name="KernelGradientNorm">‖∂loss/∂W‖₂.</param>
/// <param name="BiasGradientNorm">‖∂loss/∂b‖₂.</param>
/// <param name="GradientNorm">√(‖∂loss/∂W‖² + ‖∂loss/∂b‖²), the whole layer's gradient.</param>
public sealed record LayerSnapshot(
    string Layer,
    int Units,
    string Activation,
    double PreActivationMean,
    double PreActivationStd,
    double PreActivationMeanSquare,
    double ActivationMean,
    double ActivationStd,
    double DeadFraction,
    double SaturatedFraction,
    double KernelGradientNorm,
    double BiasGradientNorm,
    double GradientNorm);

/// <summary>All layers on one batch. For a model with residual blocks or normalization layers, <see cref="Blocks"/>,
/// <see cref="Normalizations"/> and <see cref="Stream"/> say what the Dense layers alone cannot; for a plain Dense stack
/// they are empty and everything is as before.</summary>
/// <param name="Layers">Per Dense layer, first to last in forward order, inside blocks too (the last is the output layer).</param>
/// <param name="Loss">The batch loss.</param>
public sealed record ModelSnapshot(IReadOnlyList<LayerSnapshot> Layers, double Loss)
{
    /// <summary>Per residual block, in forward order (empty without blocks).</summary>
    public IReadOnlyList<BlockSnapshot> Blocks { get; init; } = [];

    /// <summary>Per BatchNormalization / LayerNormalization layer, in forward order (empty without them).</summary>
    public IReadOnlyList<OutputSnapshot> Normalizations { get; init; } = [];

    /// <summary>The output of every top-level layer, first to last (the signal between blocks, the residual stream); empty
    /// for a plain Dense stack, whose stream is <see cref="Layers"/>.</summary>
    public IReadOnlyList<OutputSnapshot> Stream { get; init; } = [];

    /// <summary>The hidden layers (all but the output layer).</summary>
    public IEnumerable<LayerSnapshot> Hidden => Layers.Take(Math.Max(1, Layers.Count - 1));

    /// <summary>The first layer's gradient norm (weights and bias) over the last layer's: ≪ 1 means the gradient
    /// vanishes on its way back to the input, ≫ 1 that it explodes.</summary>
    public double GradientRatio => Ratio(Layers[0].GradientNorm, Layers[^1].GradientNorm);

    /// <summary>Activation std of the last hidden layer over the first's: ≪ 1 the forward signal fades, ≫ 1 it explodes.
    /// With a <see cref="Stream"/> (residual or normalized models) it is measured on the stream between top-level layers,
    /// last hidden over first: a branch's inner Dense layers are not the signal the next block receives.</summary>
    public double ActivationStdRatio
    {
        get
        {
            if (Stream.Count >= 2)
            {
                return Ratio(Stream[^2].Std, Stream[0].Std);
            }
            var hidden = Hidden.ToList();
            return Ratio(hidden[^1].ActivationStd, hidden[0].ActivationStd);
        }
    }

    private static double Ratio(double numerator, double denominator) =>
        denominator > 0 ? numerator / denominator : numerator > 0 ? double.PositiveInfinity : double.NaN;
}
