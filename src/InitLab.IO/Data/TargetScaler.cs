using System.Globalization;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// Standardises regression targets, t′ = (t − mean)/std per output column, fitted on the training split only. A freshly
/// initialised network outputs values of order 1, so targets around 4·10⁵ start with an MSE near 10¹¹ and gradients to
/// match; standardised, the same network starts near MSE 1 (the standardised targets' variance). Predictions are mapped
/// back with <see cref="Inverse"/> before anything is reported.
/// </summary>
public sealed class TargetScaler
{
    private readonly double[] _mean;
    private readonly double[] _std;

    private TargetScaler(double[] mean, double[] std)
    {
        _mean = mean;
        _std = std;
    }

    /// <summary>Per-output means of the training targets.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Per-output population standard deviations (1 for a constant column).</summary>
    public IReadOnlyList<double> StdDev => _std;

    /// <summary>Outputs (target columns).</summary>
    public int Outputs => _mean.Length;

    /// <summary>Fits mean and population std per column, in double.</summary>
    /// <param name="targets">rows×outputs training targets, at least one row.</param>
    /// <returns>The scaler.</returns>
    public static TargetScaler Fit(Tensor targets)
    {
        _ = Dims(targets);
        // The same statistics as the features' standard scaling: mean and population std, 1 for a constant column.
        Scaler standard = Scaler.FitStandard(targets);
        return new TargetScaler([.. standard.Offset], [.. standard.Scale]);
    }

    /// <summary>Rebuilds a fitted scaler (as a model file stores it).</summary>
    /// <param name="mean">Per-output means, finite.</param>
    /// <param name="stdDev">Per-output stds, finite and &gt; 0.</param>
    /// <returns>The scaler.</returns>
    /// <exception cref="ArgumentException">Lengths differ, are 0, or a value is not finite / not positive.</exception>
    public static TargetScaler Create(IReadOnlyList<double> mean, IReadOnlyList<double> stdDev)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(stdDev);
        if (mean.Count != stdDev.Count || mean.Count == 0)
        {
            throw new ArgumentException($"TargetScaler: {mean.Count} means and {stdDev.Count} stds; both need one value per output.", nameof(stdDev));
        }
        for (int i = 0; i < mean.Count; i++)
        {
            if (!double.IsFinite(mean[i]) || !double.IsFinite(stdDev[i]) || !(stdDev[i] > 0))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"TargetScaler: output {i} has mean {mean[i]} and std {stdDev[i]}; both must be finite and the std > 0."), nameof(stdDev));
            }
        }
        return new TargetScaler([.. mean], [.. stdDev]);
    }

    /// <summary>Standardised copy of <paramref name="targets"/>: (t − mean)/std, rounded to float.</summary>
    /// <param name="targets">rows×<see cref="Outputs"/>.</param>
    /// <returns>The standardised targets.</returns>
    public Tensor Transform(Tensor targets)
    {
        (int rows, int cols) = Dims(targets);
        CheckWidth(cols);
        var result = new float[rows * cols];
        for (int i = 0; i < result.Length; i++)
        {
            int c = i % cols;
            result[i] = (float)((targets.Data[i] - _mean[c]) / _std[c]);
        }
        return new Tensor(result, rows, cols);
    }

    /// <summary>Maps network outputs back to target units, y = out·std + mean, in double.</summary>
    /// <param name="outputs">rows×<see cref="Outputs"/> network outputs.</param>
    /// <returns>Row-major values in the targets' units.</returns>
    public double[] Inverse(Tensor outputs)
    {
        (int rows, int cols) = Dims(outputs);
        CheckWidth(cols);
        var result = new double[rows * cols];
        for (int i = 0; i < result.Length; i++)
        {
            int c = i % cols;
            result[i] = outputs.Data[i] * _std[c] + _mean[c];
        }
        return result;
    }

    private void CheckWidth(int cols)
    {
        if (cols != _mean.Length)
        {
            throw new ArgumentException($"TargetScaler: fitted on {_mean.Length} target column(s), got {cols}.");
        }
    }

    private static (int Rows, int Cols) Dims(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Shape[0] == 0)
        {
            throw new ArgumentException($"TargetScaler: needs a non-empty rows×outputs tensor, got {Tensor.FormatShape(x.Shape)}.", nameof(x));
        }
        return (x.Shape[0], x.Shape[1]);
    }
}
