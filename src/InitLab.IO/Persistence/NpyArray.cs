using InitLab.Tensors;

namespace InitLab.Persistence;

/// <summary>An array read from or written to a NumPy file: float32 values in C (row-major) order and the shape they
/// have. A float64 file is rounded to float32 on reading (the engine computes in float32); a Fortran-order file is
/// reordered to C order.</summary>
public sealed class NpyArray
{
    /// <summary>Creates an array; the shape's product must equal the number of values.</summary>
    /// <param name="values">Values in C order.</param>
    /// <param name="shape">Dimensions, each ≥ 0; empty for a scalar (one value).</param>
    /// <exception cref="ArgumentException">A negative dimension, or the shape does not match the value count.</exception>
    public NpyArray(float[] values, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"NpyArray: dimensions must be >= 0, got {Tensor.FormatShape(shape)}.", nameof(shape));
            }
            // Saturate past the limit instead of overflowing; a zero dimension still gives zero.
            count = count > Array.MaxLength && d != 0 ? count : count * d;
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"NpyArray: shape {Tensor.FormatShape(shape)} does not hold {values.Length} values.", nameof(shape));
        }
        Values = values;
        Shape = [.. shape];
    }

    /// <summary>The values in C (row-major) order.</summary>
    public float[] Values { get; }

    /// <summary>The dimensions (empty for a 0-d array).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <inheritdoc />
    public override string ToString() => $"NpyArray{Tensor.FormatShape(Shape)}";
}
