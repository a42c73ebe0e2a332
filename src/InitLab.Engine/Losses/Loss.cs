using System.Numerics;

namespace InitLab.Losses;

/// <summary>How a loss reads its targets.</summary>
public enum TargetKind
{
    /// <summary>One value per output column (regression, one-hot, or binary 0/1 labels).</summary>
    Dense,

    /// <summary>One integer class index per row, stored as a float.</summary>
    ClassIndex,
}

/// <summary>
/// A cost function averaged over a batch, with its gradient with respect to the network output. Implemented once for
/// any IEEE float type (the engine runs float32, gradient checks double); sums are accumulated in double.
/// </summary>
public abstract class Loss
{
    /// <summary>Registry name.</summary>
    public abstract string Name { get; }

    /// <summary>How targets are laid out.</summary>
    public virtual TargetKind TargetKind => TargetKind.Dense;

    /// <summary>Whether the loss expects logits (pre-activation) rather than probabilities.</summary>
    public virtual bool FromLogits => false;

    /// <summary>Computes the mean loss and writes ∂loss/∂output into <paramref name="gradient"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="output">rows×cols network output.</param>
    /// <param name="target">Targets: rows×cols (<see cref="TargetKind.Dense"/>) or rows class indices.</param>
    /// <param name="gradient">Destination, rows×cols.</param>
    /// <param name="rows">Batch size.</param>
    /// <param name="cols">Output width.</param>
    /// <returns>The mean loss.</returns>
    public abstract double Compute<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// The equivalent loss on logits when the network's last activation is <paramref name="finalActivation"/> (e.g.
    /// categorical cross-entropy after softmax becomes cross-entropy on logits: same value, stable, and its gradient
    /// p − y skips the activation's Jacobian); null when no fusion applies.
    /// </summary>
    /// <param name="finalActivation">The last layer's activation name.</param>
    /// <returns>The fused loss, or null.</returns>
    public virtual Loss? FuseWith(string finalActivation) => null;

    /// <summary>Checks that the spans fit rows×cols.</summary>
    /// <param name="outputLength">Output length.</param>
    /// <param name="targetLength">Target length.</param>
    /// <param name="gradientLength">Gradient length.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns.</param>
    protected void CheckShape(int outputLength, int targetLength, int gradientLength, int rows, int cols)
    {
        int targetWidth = TargetKind == TargetKind.ClassIndex ? 1 : cols;
        if (rows <= 0 || cols <= 0 || outputLength < rows * cols || gradientLength < rows * cols || targetLength < rows * targetWidth)
        {
            throw new ArgumentException(
                $"Loss '{Name}': batch of {rows}×{cols} needs output and gradient of {rows * cols} and targets of {rows * targetWidth}; " +
                $"got {outputLength}, {gradientLength} and {targetLength}.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
