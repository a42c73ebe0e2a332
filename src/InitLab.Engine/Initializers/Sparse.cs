using System.Globalization;
using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Initializers;

/// <summary>
/// PyTorch <c>sparse_(w, sparsity, std=0.01)</c> (Martens 2010): N(0, std²), then exactly ⌈sparsity·rows⌉ randomly
/// chosen rows of every column set to zero. 2-D only; rows = shape[0].
/// </summary>
public sealed class Sparse : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="sparsity">Fraction of zeros per column, in [0, 1).</param>
    /// <param name="stdDev">Std of the non-zero values, &gt; 0.</param>
    public Sparse(double sparsity, double stdDev = 0.01)
        : base("sparse")
    {
        if (!(sparsity >= 0 && sparsity < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity,
                string.Create(CultureInfo.InvariantCulture, $"sparse: sparsity must be in [0, 1), got {sparsity}."));
        }
        Sparsity = sparsity;
        StdDev = Positive(stdDev, "std");
    }

    /// <summary>Fraction of zeros per column.</summary>
    public double Sparsity { get; }

    /// <summary>Std of the non-zero values.</summary>
    public double StdDev { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(rng);
        if (shape.Count != 2)
        {
            throw new ArgumentException($"sparse: needs a 2-D tensor, got shape {Tensor.FormatShape(shape)}.", nameof(shape));
        }
        int rows = shape[0], cols = shape[1];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(StdDev * rng.NextNormal());
        }
        int zeros = (int)Math.Ceiling(Sparsity * rows);
        int[] order = new int[rows];
        for (int c = 0; c < cols; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                order[r] = r;
            }
            // Partial Fisher–Yates: the first `zeros` entries are a uniform random subset of the rows.
            for (int r = 0; r < zeros; r++)
            {
                int pick = r + rng.NextInt(rows - r);
                (order[r], order[pick]) = (order[pick], order[r]);
                weights[order[r] * cols + c] = 0f;
            }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["sparsity"] = Sparsity, ["std"] = StdDev };
}
