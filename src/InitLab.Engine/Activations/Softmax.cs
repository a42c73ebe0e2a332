using System.Numerics.Tensors;

namespace InitLab.Activations;

/// <summary>Row-wise softmax, a_j = e^(z_j − max z) / Σ_k e^(z_k − max z). Paired with categorical
/// cross-entropy, the trainer fuses the two and never calls <see cref="Backward{T}"/>.</summary>
public sealed class Softmax : Activation
{
    /// <inheritdoc />
    public override string Name => "softmax";

    /// <inheritdoc />
    public override bool IsElementwise => false;

    /// <inheritdoc />
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int cols)
    {
        CheckShape(z.Length, a.Length, cols);
        for (int start = 0; start < z.Length; start += cols)
        {
            ReadOnlySpan<T> zRow = z.Slice(start, cols);
            Span<T> aRow = a.Slice(start, cols);
            T max = TensorPrimitives.Max(zRow);
            TensorPrimitives.Subtract(zRow, max, aRow);
            TensorPrimitives.Exp(aRow, aRow);
            TensorPrimitives.Divide(aRow, TensorPrimitives.Sum<T>(aRow), aRow);
        }
    }

    /// <inheritdoc />
    public override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
    {
        CheckShape(z.Length, dz.Length, cols);
        for (int start = 0; start < z.Length; start += cols)
        {
            ReadOnlySpan<T> aRow = a.Slice(start, cols);
            ReadOnlySpan<T> daRow = da.Slice(start, cols);
            Span<T> dzRow = dz.Slice(start, cols);
            // dz_j = a_j·(da_j − Σ_k da_k·a_k): the softmax Jacobian diag(a) − a·aᵀ applied to da.
            T dot = TensorPrimitives.Dot(daRow, aRow);
            for (int j = 0; j < cols; j++)
            {
                dzRow[j] = aRow[j] * (daRow[j] - dot);
            }
        }
    }

    private static void CheckShape(int source, int destination, int cols)
    {
        if (cols <= 0 || source % cols != 0 || destination != source)
        {
            throw new ArgumentException($"Softmax: {source} values do not form rows of width {cols} (destination {destination}).");
        }
    }
}
