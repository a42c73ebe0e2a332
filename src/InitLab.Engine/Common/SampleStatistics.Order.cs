using System.Globalization;

namespace InitLab.Common;

// The statistics that sort a copy of the sample: the median and the quantiles.
public static partial class SampleStatistics
{
    /// <summary>
    /// The median: the middle value of the sorted sample for odd n, the mean of the two middle values for even n
    /// ((x₍ₙ/₂₎ + x₍ₙ/₂₊₁₎)/2, 1-based order statistics).
    /// </summary>
    /// <param name="values">The sample, at least one value; not modified (a copy is sorted).</param>
    /// <returns>The median.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double Median(ReadOnlySpan<double> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        double[] sorted = Sorted(values);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// The quantile at <paramref name="fraction"/> p by linear interpolation between order statistics (numpy's default,
    /// Hyndman &amp; Fan type 7): with h = p·(n − 1), x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), 0-based on the sorted sample.
    /// </summary>
    /// <param name="values">The sample, at least one value; not modified (a copy is sorted).</param>
    /// <param name="fraction">p in [0, 1]: 0 gives the minimum, 1 the maximum, 0.5 the median.</param>
    /// <returns>The quantile.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside [0, 1] or NaN.</exception>
    public static double Quantile(ReadOnlySpan<double> values, double fraction)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, string.Create(CultureInfo.InvariantCulture,
                $"SampleStatistics.Quantile: fraction must be in [0, 1], got {fraction}. Use 0.5 for the median, 0.1 and 0.9 for a 10–90 % band."));
        }
        double[] sorted = Sorted(values);
        double position = fraction * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    // Array.Sort orders doubles as double.CompareTo does (NaN first), like the LINQ Order() the callers used before.
    private static double[] Sorted(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
