using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Initializers;

/// <summary>
/// Saxe et al. 2014: a Haar-random (semi-)orthogonal matrix × gain. The tensor is flattened to r×c — Keras: r = product
/// of all dims but the last, c = last; PyTorch: r = shape[0], c = product of the rest — and WᵀW = gain²·I (r ≥ c) or
/// WWᵀ = gain²·I (r &lt; c).
/// </summary>
/// <remarks>Keras <c>Orthogonal(gain=1.0)</c>, PyTorch <c>orthogonal_(gain=1)</c>, JAX <c>orthogonal(scale=1.0)</c>.
/// Both layouts give orthonormal output-unit weight vectors when in ≥ out. Rank &lt; 2 is an error everywhere.</remarks>
public sealed class Orthogonal : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="gain">Multiplier, &gt; 0.</param>
    public Orthogonal(double gain = 1.0)
        : base("orthogonal") => GainValue = Positive(gain, "gain");

    /// <summary>The gain.</summary>
    public double GainValue { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count < 2)
        {
            throw new ArgumentException($"orthogonal: needs a tensor with at least 2 dimensions, got shape {Tensor.FormatShape(shape)}.", nameof(shape));
        }
        (int rows, int cols) = Flatten(shape, fans.Layout);
        if (rows * cols == 0)
        {
            return;
        }
        double[] q = OrthogonalMatrix.Draw(rows, cols, rng);
        for (int i = 0; i < q.Length; i++)
        {
            weights[i] = (float)(GainValue * q[i]);
        }
    }

    /// <summary>The r×c view a layout flattens a shape to.</summary>
    /// <param name="shape">The shape (rank ≥ 2).</param>
    /// <param name="layout">The layout.</param>
    /// <returns>(rows, cols).</returns>
    public static (int Rows, int Cols) Flatten(IReadOnlyList<int> shape, WeightLayout layout)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int total = Tensor.ElementCount(shape);
        if (layout == WeightLayout.Keras)
        {
            int cols = shape[^1];
            return (cols == 0 ? 0 : total / cols, cols);
        }
        int rows = shape[0];
        return (rows, rows == 0 ? 0 : total / rows);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["gain"] = GainValue };
}
