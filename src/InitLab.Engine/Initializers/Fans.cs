using System.Globalization;

namespace InitLab.Initializers;

/// <summary>Which fan a variance-scaling initializer divides by.</summary>
public enum FanMode
{
    /// <summary>n = fan_in (preserves the forward signal's variance).</summary>
    FanIn,

    /// <summary>n = fan_out (preserves the backward gradient's variance).</summary>
    FanOut,

    /// <summary>n = (fan_in + fan_out)/2 (Glorot's compromise).</summary>
    FanAvg,
}

/// <summary>The weight layout a shape is read in when fans come from a shape instead of a layer.</summary>
public enum WeightLayout
{
    /// <summary>Keras/TF/JAX: (…kernel dims, in, out); dense (in, out).</summary>
    Keras,

    /// <summary>PyTorch: (out, in, …kernel dims); dense (out, in).</summary>
    PyTorch,
}

/// <summary>
/// The number of inputs and outputs a weight connects. A dense layer knows its own (in, out); for a bare shape use
/// <see cref="FromShape"/> with the layout, never a guess. <see cref="LayerFanIn"/> carries the owning layer's fan_in
/// to bias initializers that need it (PyTorch's Linear bias).
/// </summary>
/// <param name="In">fan_in.</param>
/// <param name="Out">fan_out.</param>
/// <param name="LayerFanIn">The layer's fan_in when this is a bias vector; otherwise null.</param>
/// <param name="Layout">How the tensor's shape is laid out (structured initializers flatten by it).</param>
public readonly record struct Fans(int In, int Out, int? LayerFanIn = null, WeightLayout Layout = WeightLayout.Keras)
{
    /// <summary>n for the given mode, as a double.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>fan_in, fan_out or their mean.</returns>
    public double For(FanMode mode) => mode switch
    {
        FanMode.FanIn => In,
        FanMode.FanOut => Out,
        FanMode.FanAvg => (In + (double)Out) / 2.0,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fan mode."),
    };

    /// <summary>Fans of a bias vector of <paramref name="units"/> in a layer with <paramref name="layerFanIn"/> inputs:
    /// Keras reads a 1-D shape (n) as fans (n, n); PyTorch's Linear bias uses the layer's fan_in.</summary>
    /// <param name="units">Bias length.</param>
    /// <param name="layerFanIn">The layer's fan_in.</param>
    /// <returns>The fans.</returns>
    public static Fans ForBias(int units, int layerFanIn) => new(units, units, layerFanIn);

    /// <summary>
    /// Fans from a shape: Keras (…k, in, out): receptive field = product of all but the last two dims, fan_in = in·rf,
    /// fan_out = out·rf; PyTorch (out, in, …k): rf = product of dims 2…, fan_in = shape[1]·rf, fan_out = shape[0]·rf.
    /// Rank 0 and 1 follow Keras ((1, 1) and (n, n)); PyTorch raises for them, and so does this method in PyTorch layout.
    /// </summary>
    /// <param name="shape">The weight shape.</param>
    /// <param name="layout">How to read it.</param>
    /// <returns>The fans.</returns>
    /// <exception cref="ArgumentException">PyTorch layout with fewer than 2 dimensions, or fans above <see cref="int.MaxValue"/>.</exception>
    public static Fans FromShape(IReadOnlyList<int> shape, WeightLayout layout)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count < 2)
        {
            if (layout == WeightLayout.PyTorch)
            {
                throw new ArgumentException(
                    $"Fans: PyTorch cannot compute fan_in and fan_out for a tensor with fewer than 2 dimensions (shape [{string.Join(", ", shape)}]).",
                    nameof(shape));
            }
            int n = shape.Count == 0 ? 1 : shape[0];
            return new Fans(n, n, null, layout);
        }
        try
        {
            long receptiveField = 1;
            if (layout == WeightLayout.Keras)
            {
                for (int i = 0; i < shape.Count - 2; i++)
                {
                    receptiveField = checked(receptiveField * shape[i]);
                }
                return new Fans(checked((int)(shape[^2] * receptiveField)), checked((int)(shape[^1] * receptiveField)), null, layout);
            }
            for (int i = 2; i < shape.Count; i++)
            {
                receptiveField = checked(receptiveField * shape[i]);
            }
            return new Fans(checked((int)(shape[1] * receptiveField)), checked((int)(shape[0] * receptiveField)), null, layout);
        }
        catch (OverflowException ex)
        {
            throw new ArgumentOutOfRangeException(
                $"Fans: shape [{string.Join(", ", shape)}] gives a fan_in or fan_out above {int.MaxValue}; no weight tensor that large can exist.", ex);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"(fan_in {In}, fan_out {Out})");
}
