using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>Per-feature affine scaling x′ = (x − offset)/scale, fitted on the training split only and applied to every split.</summary>
public sealed class Scaler
{
    private Scaler(string kind, double[] offset, double[] scale)
    {
        Kind = kind;
        Offset = offset;
        Scale = scale;
    }

    /// <summary>"standard" or "minmax".</summary>
    public string Kind { get; }

    /// <summary>Per-feature offsets (mean or min).</summary>
    public IReadOnlyList<double> Offset { get; }

    /// <summary>Per-feature divisors (std or range; 1 for constant features).</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>Fits zero mean and unit (population) variance per feature; constant features are left centred.</summary>
    /// <param name="x">Training features.</param>
    /// <returns>The scaler.</returns>
    public static Scaler FitStandard(Tensor x)
    {
        (int rows, int cols) = Dims(x);
        var mean = new double[cols];
        var scale = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                sum += x.Data[r * cols + c];
            }
            mean[c] = sum / rows;
            double squares = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = x.Data[r * cols + c] - mean[c];
                squares += d * d;
            }
            double std = Math.Sqrt(squares / rows);
            scale[c] = std > 0 ? std : 1;
        }
        return new Scaler("standard", mean, scale);
    }

    /// <summary>Fits x′ = (x − min)/(max − min) per feature, mapping the training range to [0, 1].</summary>
    /// <param name="x">Training features.</param>
    /// <returns>The scaler.</returns>
    public static Scaler FitMinMax(Tensor x)
    {
        (int rows, int cols) = Dims(x);
        var min = new double[cols];
        var range = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int r = 0; r < rows; r++)
            {
                lo = Math.Min(lo, x.Data[r * cols + c]);
                hi = Math.Max(hi, x.Data[r * cols + c]);
            }
            min[c] = lo;
            range[c] = hi > lo ? hi - lo : 1;
        }
        return new Scaler("minmax", min, range);
    }

    /// <summary>Returns a scaled copy.</summary>
    /// <param name="x">Features with the fitted width.</param>
    /// <returns>The scaled features.</returns>
    public Tensor Transform(Tensor x)
    {
        (int rows, int cols) = Dims(x);
        if (cols != Offset.Count)
        {
            throw new ArgumentException($"Scaler: fitted on {Offset.Count} features, got {cols}.", nameof(x));
        }
        var result = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                result[r * cols + c] = (float)((x.Data[r * cols + c] - Offset[c]) / Scale[c]);
            }
        }
        return new Tensor(result, rows, cols);
    }

    /// <summary>Applies the scaling to a data set's features.</summary>
    /// <param name="data">The data.</param>
    /// <returns>A data set with scaled features.</returns>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.WithFeatures(Transform(data.Features));
    }

    /// <summary>Fits a scaler by kind name.</summary>
    /// <param name="kind">"standard", "minmax" or "none" (case-insensitive).</param>
    /// <param name="x">Training features.</param>
    /// <returns>The scaler, or null for "none".</returns>
    /// <exception cref="ArgumentOutOfRangeException">Another kind.</exception>
    public static Scaler? Fit(string kind, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.ToLowerInvariant() switch
        {
            "standard" => FitStandard(x),
            "minmax" => FitMinMax(x),
            "none" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"scaling must be standard, minmax or none, got '{kind}'."),
        };
    }

    /// <summary>Rebuilds a fitted scaler from its parameters (as a model file stores them).</summary>
    /// <param name="kind">"standard" or "minmax".</param>
    /// <param name="offset">Per-feature offsets, finite.</param>
    /// <param name="scale">Per-feature divisors, finite and &gt; 0, as many as offsets.</param>
    /// <returns>The scaler.</returns>
    /// <exception cref="ArgumentException">Unknown kind, different lengths, or a non-finite or non-positive value.</exception>
    public static Scaler Create(string kind, IReadOnlyList<double> offset, IReadOnlyList<double> scale)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (kind is not ("standard" or "minmax"))
        {
            throw new ArgumentException($"Scaler: kind must be standard or minmax, got '{kind}'.", nameof(kind));
        }
        if (offset.Count != scale.Count || offset.Count == 0)
        {
            throw new ArgumentException($"Scaler: {offset.Count} offsets and {scale.Count} scales; both must have one value per feature.", nameof(scale));
        }
        for (int i = 0; i < offset.Count; i++)
        {
            if (!double.IsFinite(offset[i]) || !double.IsFinite(scale[i]) || !(scale[i] > 0))
            {
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Scaler: feature {i} has offset {offset[i]} and scale {scale[i]}; both must be finite and the scale > 0."), nameof(scale));
            }
        }
        return new Scaler(kind, [.. offset], [.. scale]);
    }

    private static (int Rows, int Cols) Dims(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Shape[0] == 0)
        {
            throw new ArgumentException($"Scaler: needs a non-empty rows×features tensor, got {Tensor.FormatShape(x.Shape)}.", nameof(x));
        }
        return (x.Shape[0], x.Shape[1]);
    }
}
