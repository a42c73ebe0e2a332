using InitLab.Common;

namespace InitLab.Sweeps.Analysis;

/// <summary>A metric of one configuration over its seeds: mean, standard error and the min–max band of the finite values.</summary>
/// <param name="Mean">Mean of the finite values (NaN when there is none).</param>
/// <param name="StandardError">Sample standard deviation (n − 1) over √n; NaN with fewer than two values.</param>
/// <param name="Min">Smallest finite value (NaN when there is none).</param>
/// <param name="Max">Largest finite value (NaN when there is none).</param>
/// <param name="Count">How many trials gave a finite value.</param>
/// <param name="Total">How many trials the configuration has (failed, diverged and not-reached ones included).</param>
public sealed record MetricSummary(double Mean, double StandardError, double Min, double Max, int Count, int Total)
{
    /// <summary>Summarises values; non-finite ones (a diverged loss, a threshold never reached) count in <paramref name="total"/> only.</summary>
    /// <param name="values">One value per trial that produced a result.</param>
    /// <param name="total">Trials of the configuration, ≥ the number of values.</param>
    /// <returns>The summary.</returns>
    public static MetricSummary Of(IEnumerable<double> values, int total)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] finite = [.. values.Where(double.IsFinite)];
        if (finite.Length == 0)
        {
            return new MetricSummary(double.NaN, double.NaN, double.NaN, double.NaN, 0, total);
        }
        double standardError = finite.Length > 1 ? SampleStatistics.StandardError(finite) : double.NaN;
        return new MetricSummary(SampleStatistics.Mean(finite), standardError, finite.Min(), finite.Max(), finite.Length, total);
    }
}
