using System.Globalization;

namespace InitLab.Tensors;

/// <summary>A dense float32 tensor in row-major (C) order with an explicit shape.</summary>
public sealed class Tensor
{
    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <param name="shape">Dimensions, each at least 0.</param>
    public Tensor(params int[] shape)
        : this(new float[ElementCount(shape)], shape)
    {
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    /// <param name="data">Row-major values; its length must equal the product of the shape.</param>
    /// <param name="shape">Dimensions.</param>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = ElementCount(shape);
        if (data.Length != count)
        {
            throw new ArgumentException(
                $"Tensor: data has {data.Length} elements but shape {FormatShape(shape)} needs {count}.", nameof(data));
        }
        Data = data;
        Shape = (int[])shape.Clone();
    }

    /// <summary>The values in row-major order.</summary>
    public float[] Data { get; }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Count;

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The values as a span.</summary>
    public Span<float> Span => Data;

    /// <summary>Element (row, col) of a 2-D tensor.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="col">Column index.</param>
    public float this[int row, int col]
    {
        get => Data[row * Shape[1] + col];
        set => Data[row * Shape[1] + col] = value;
    }

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public Tensor Clone() => new((float[])Data.Clone(), [.. Shape]);

    /// <summary>Product of the dimensions; throws for a negative dimension.</summary>
    /// <param name="shape">Dimensions.</param>
    /// <returns>The element count.</returns>
    public static int ElementCount(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Tensor: dimensions must be >= 0, got {FormatShape(shape)}.");
            }
            // Saturate past the limit instead of overflowing (65536⁴ wraps a long); a zero dimension still gives zero.
            count = count > Array.MaxLength && d != 0 ? count : count * d;
        }
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"Tensor: shape {FormatShape(shape)} has more than {Array.MaxLength} elements, more than an array can hold.");
        }
        return (int)count;
    }

    /// <summary>Formats a shape as "[d0, d1, …]".</summary>
    /// <param name="shape">Dimensions.</param>
    /// <returns>The text.</returns>
    public static string FormatShape(IReadOnlyList<int> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc />
    public override string ToString() => $"Tensor{FormatShape(Shape)}";
}
