namespace InitLab.Diagnostics;

/// <summary>
/// A fixed-bin histogram of one layer's activations on one batch: <see cref="TrainingMonitor.HistogramBins"/> equal bins
/// over [<see cref="Lower"/>, <see cref="Upper"/>]; values outside the range are counted in the first or last bin, so
/// the counts always sum to rows × units (NaN is not counted).
/// </summary>
/// <param name="Lower">Left edge of the first bin.</param>
/// <param name="Upper">Right edge of the last bin.</param>
/// <param name="Counts">Values per bin.</param>
public sealed record ActivationHistogram(double Lower, double Upper, IReadOnlyList<int> Counts)
{
    /// <summary>The range used for an activation: tanh and softsign [−1, 1], sigmoid and softmax [0, 1] (their whole
    /// range), anything else [−4, 4] (four unit standard deviations, where a well-scaled layer lives).</summary>
    /// <param name="activation">Activation name.</param>
    /// <returns>(lower, upper).</returns>
    public static (double Lower, double Upper) RangeFor(string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return activation switch
        {
            "tanh" or "softsign" => (-1, 1),
            "sigmoid" or "softmax" or "hard_sigmoid" => (0, 1),
            _ => (-4, 4),
        };
    }

    /// <summary>Counts <paramref name="values"/> into <paramref name="counts"/> (cleared first).</summary>
    internal static void Fill(ReadOnlySpan<float> values, double lower, double upper, Span<int> counts)
    {
        counts.Clear();
        int bins = counts.Length;
        double scale = bins / (upper - lower);
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }
            int bin = (int)Math.Floor((v - lower) * scale);
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }
    }
}
