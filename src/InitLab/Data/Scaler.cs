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
        Tensor x = Transform(data.Features);
        return data.IsClassification
            ? new Dataset(data.Name, x, data.Labels!, data.Classes, data.FeatureNames)
            : new Dataset(data.Name, x, data.RegressionTargets!, data.FeatureNames);
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
