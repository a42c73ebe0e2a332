using System.Globalization;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// The fixed (not fitted) feature transforms papers use: divide by a constant (the 8×8 digits by 16, MNIST by 255) and
/// scale each row to unit mean square (so every input has q⁰ = (1/n)·Σ xᵢ² = 1, the mean-field convention). Each returns
/// a new tensor or data set; the input is left untouched.
/// </summary>
public static class FeatureTransforms
{
    /// <summary>x′ = x / <paramref name="divisor"/>, elementwise.</summary>
    /// <param name="x">Features.</param>
    /// <param name="divisor">Finite and non-zero, e.g. 16 for digits, 255 for MNIST.</param>
    /// <returns>The scaled copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The divisor is 0, NaN or infinite.</exception>
    public static Tensor DivideBy(Tensor x, double divisor)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (divisor == 0 || !double.IsFinite(divisor))
        {
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, string.Create(CultureInfo.InvariantCulture,
                $"DivideBy: the divisor must be finite and non-zero, got {divisor} (e.g. 16 for digits, 255 for MNIST)."));
        }
        var data = new float[x.Length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(x.Data[i] / divisor);
        }
        return new Tensor(data, [.. x.Shape]);
    }

    /// <summary>Each row r of a rows×features tensor scaled to x′_r = x_r / √((1/n)·Σ_j x_rj²), so its mean square is 1. A
    /// row of zeros has no direction and stays zero.</summary>
    /// <param name="x">rows×features.</param>
    /// <returns>The normalised copy.</returns>
    /// <exception cref="ArgumentException">The tensor is not 2-D.</exception>
    public static Tensor NormalizeRowsToUnitMeanSquare(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
        {
            throw new ArgumentException($"NormalizeRowsToUnitMeanSquare: expects rows×features, got shape {Tensor.FormatShape(x.Shape)}.", nameof(x));
        }
        int rows = x.Shape[0], cols = x.Shape[1];
        var data = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double squares = 0;
            for (int c = 0; c < cols; c++)
            {
                double v = x.Data[r * cols + c];
                squares += v * v;
            }
            double scale = squares > 0 ? 1 / Math.Sqrt(squares / cols) : 0;
            for (int c = 0; c < cols; c++)
            {
                data[r * cols + c] = (float)(x.Data[r * cols + c] * scale);
            }
        }
        return new Tensor(data, rows, cols);
    }

    /// <summary>The data set with <paramref name="transform"/> applied to its features (labels or targets kept; the row
    /// shape kept when the width is).</summary>
    /// <param name="data">The data set.</param>
    /// <param name="transform">E.g. <c>x =&gt; FeatureTransforms.DivideBy(x, 16)</c>; must keep the row count.</param>
    /// <returns>The transformed data set.</returns>
    public static Dataset Apply(Dataset data, Func<Tensor, Tensor> transform)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(transform);
        Tensor features = transform(data.Features);
        bool sameWidth = features.Rank == 2 && features.Shape[1] == data.FeatureCount;
        IReadOnlyList<string>? names = sameWidth ? data.FeatureNames : null;
        Dataset transformed = data.IsClassification
            ? new Dataset(data.Name, features, data.Labels!, data.Classes, names)
            : new Dataset(data.Name, features, data.RegressionTargets!, names);
        // A transform that keeps the width keeps the pixels where they were, so an image stays an image.
        return sameWidth ? transformed.WithRowShape(data.RowShape) : transformed;
    }
}
