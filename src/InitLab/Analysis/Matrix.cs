using System.Globalization;

namespace InitLab.Analysis;

/// <summary>A small dense double-precision matrix, row-major, for Jacobians and their spectra.</summary>
public sealed class Matrix
{
    /// <summary>Wraps <paramref name="values"/> (not copied) as a rows×cols matrix.</summary>
    /// <param name="rows">Rows, ≥ 0.</param>
    /// <param name="cols">Columns, ≥ 0.</param>
    /// <param name="values">rows·cols values, row-major.</param>
    /// <exception cref="ArgumentException">The length does not match the shape.</exception>
    public Matrix(int rows, int cols, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if ((long)rows * cols != values.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Matrix: {values.Length} values do not fill {rows}×{cols}."), nameof(values));
        }
        Rows = rows;
        Cols = cols;
        Values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>The entries, row-major: (i, j) is at i·Cols + j.</summary>
    public double[] Values { get; }

    /// <summary>Entry (i, j).</summary>
    /// <param name="row">Row index.</param>
    /// <param name="col">Column index.</param>
    public double this[int row, int col] => Values[row * Cols + col];

    /// <summary>A float32 row-major rows×cols buffer (a kernel, a Jacobian) widened to double.</summary>
    /// <param name="values">The values (rows·cols of them).</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns.</param>
    /// <returns>The matrix.</returns>
    public static Matrix FromFloats(ReadOnlySpan<float> values, int rows, int cols)
    {
        var data = new double[checked(rows * cols)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = values[i];
        }
        return new Matrix(rows, cols, data);
    }

    /// <summary>The product this·<paramref name="other"/>.</summary>
    /// <param name="other">A Cols×k matrix.</param>
    /// <returns>Rows×k.</returns>
    public Matrix Multiply(Matrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Rows != Cols)
        {
            throw new ArgumentException($"Matrix: cannot multiply {Rows}×{Cols} by {other.Rows}×{other.Cols}.", nameof(other));
        }
        var result = new double[Rows * other.Cols];
        for (int i = 0; i < Rows; i++)
        {
            for (int p = 0; p < Cols; p++)
            {
                double a = Values[i * Cols + p];
                for (int j = 0; j < other.Cols; j++)
                {
                    result[i * other.Cols + j] += a * other.Values[p * other.Cols + j];
                }
            }
        }
        return new Matrix(Rows, other.Cols, result);
    }

    /// <summary>The transpose.</summary>
    /// <returns>Cols×Rows.</returns>
    public Matrix Transpose()
    {
        var result = new double[Values.Length];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                result[j * Rows + i] = Values[i * Cols + j];
            }
        }
        return new Matrix(Cols, Rows, result);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Matrix {Rows}×{Cols}");
}
