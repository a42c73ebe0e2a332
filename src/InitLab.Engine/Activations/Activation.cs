using System.Numerics;

namespace InitLab.Activations;

/// <summary>
/// A nonlinearity a = φ(z) applied after a layer's affine map, with its backward pass dz = φ′(z)·da.
/// Implemented once for any IEEE float type: the engine runs float32, gradient checks run double.
/// </summary>
public abstract class Activation
{
    /// <summary>The registry name, e.g. "relu" or "leaky_relu(0.2)".</summary>
    public abstract string Name { get; }

    /// <summary>Whether a is a function of z elementwise (false for softmax, which mixes a row).</summary>
    public virtual bool IsElementwise => true;

    /// <summary>Computes a = φ(z) for a rows×cols block.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="z">Pre-activations.</param>
    /// <param name="a">Destination, same length (may alias <paramref name="z"/> for elementwise functions).</param>
    /// <param name="cols">Row width (used by row-wise functions).</param>
    public abstract void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Computes dz = (∂a/∂z)ᵀ·da given z, a = φ(z) and da.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="z">Pre-activations.</param>
    /// <param name="a">Activations from <see cref="Forward{T}"/>.</param>
    /// <param name="da">Gradient of the loss with respect to a.</param>
    /// <param name="dz">Destination: gradient with respect to z (may alias <paramref name="da"/>).</param>
    /// <param name="cols">Row width.</param>
    public abstract void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Whether <see cref="Forward{T}"/> on float gives each element the same bits whatever span it is called on
    /// (its offset, the span's length): then a dense layer may apply it tile by tile inside the GEMM's output pass.</summary>
    internal virtual bool SameBitsForAnySpan => false;

    /// <summary>φ(z) for one value (elementwise functions only); used by the mean-field predictions.</summary>
    /// <param name="z">Pre-activation.</param>
    /// <returns>φ(z).</returns>
    public virtual double Apply(double z) => throw new NotSupportedException($"Activation '{Name}' is not elementwise.");

    /// <summary>φ′(z) for one value (elementwise functions only).</summary>
    /// <param name="z">Pre-activation.</param>
    /// <returns>φ′(z).</returns>
    public virtual double Derivative(double z) => throw new NotSupportedException($"Activation '{Name}' is not elementwise.");

    /// <inheritdoc />
    public override string ToString() => Name;
}
