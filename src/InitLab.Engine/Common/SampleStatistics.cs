using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace InitLab.Common;

/// <summary>
/// Descriptive statistics of a sample x₁..xₙ: the one place the lab computes a mean, a variance, a standard error, a
/// median, a quantile or a jackknife error (the practicals, the probes, LSUV, the sweeps and the reports all call it).
/// </summary>
/// <remarks>
/// <para>Every sum runs in index order in double (float values are widened first), so each function gives the same bits
/// as the loops it replaced. Non-finite values are not skipped: a NaN in gives NaN out (the median and quantiles sort it
/// below every number, as <see cref="double.CompareTo(double)"/> does).</para>
/// <para>Two variances, named for their divisors: <see cref="PopulationVariance(ReadOnlySpan{float})"/> divides by n and
/// is taken from the raw sums Σx and Σx² (what LSUV rescales by and what the probes report as a std);
/// <see cref="SampleVariance"/> divides by n − 1 and sums the squared deviations from x̄ (the unbiased estimate behind
/// every standard error).</para>
/// <para>An empty sample (or one value where a spread is needed) is refused with an <see cref="ArgumentException"/>
/// naming the parameter: a caller that shows "no data" as NaN or 0 tests the count itself.</para>
/// </remarks>
public static partial class SampleStatistics
{
    /// <summary>The mean x̄ = (1/n)·Σxᵢ.</summary>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>x̄.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double Mean(ReadOnlySpan<double> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return Sum(values) / values.Length;
    }

    /// <summary>The mean x̄ = (1/n)·Σxᵢ, accumulated in double.</summary>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>x̄.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double Mean(ReadOnlySpan<float> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return Sum(values) / values.Length;
    }

    /// <summary>The mean square (1/n)·Σxᵢ² (the second moment about 0, not a variance), accumulated in double.</summary>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>(1/n)·Σxᵢ².</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double MeanSquare(ReadOnlySpan<float> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return SumOfSquares(values) / values.Length;
    }

    /// <summary>The mean and the mean square of the sample from one pass over it (Σxᵢ and Σxᵢ² side by side, in double):
    /// the same bits as <see cref="Mean(ReadOnlySpan{float})"/> and <see cref="MeanSquare"/> called apart, read once.</summary>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>x̄ and (1/n)·Σxᵢ², with the population variance and std they give.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static SampleMoments Moments(ReadOnlySpan<float> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return RawMoments(values);
    }

    /// <summary>The mean and the mean square of the sample from one pass, as the float overload.</summary>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>x̄ and (1/n)·Σxᵢ².</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static SampleMoments Moments(ReadOnlySpan<double> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return RawMoments(values);
    }

    /// <summary>
    /// The population variance σ² = (1/n)·Σxᵢ² − x̄², with x̄ = (1/n)·Σxᵢ: from the raw sums Σxᵢ and Σxᵢ² (both in
    /// double), not from the deviations xᵢ − x̄.
    /// </summary>
    /// <remarks>The raw-sum form cancels when |x̄| is large next to σ, and for a near-constant sample rounding can leave
    /// it slightly negative (about −1e-14 for 252 equal floats near 1.39); float values squared in double are exact, so for
    /// activations and weights the loss is far below anything reported. <see cref="PopulationStandardDeviation"/> clamps
    /// at 0 before the root.</remarks>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>σ² (divisor n).</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double PopulationVariance(ReadOnlySpan<float> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return RawMoments(values).PopulationVariance;
    }

    /// <summary>The population variance σ² = (1/n)·Σxᵢ² − x̄² from the raw sums, as the float overload.</summary>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>σ² (divisor n); slightly negative is possible for a near-constant sample.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double PopulationVariance(ReadOnlySpan<double> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return RawMoments(values).PopulationVariance;
    }

    /// <summary>The population standard deviation σ = √max(0, <see cref="PopulationVariance(ReadOnlySpan{float})"/>):
    /// divisor n, raw sums, a rounding-negative variance read as 0.</summary>
    /// <param name="values">The sample, at least one value.</param>
    /// <returns>σ ≥ 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double PopulationStandardDeviation(ReadOnlySpan<float> values)
    {
        RequireAtLeast(values.Length, 1, nameof(values));
        return RawMoments(values).PopulationStandardDeviation;
    }

    /// <summary>The sample variance s² = Σ(xᵢ − x̄)²/(n − 1), unbiased, in two passes (x̄ first).</summary>
    /// <param name="values">The sample, at least two values.</param>
    /// <returns>s² ≥ 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> has fewer than two values.</exception>
    public static double SampleVariance(ReadOnlySpan<double> values)
    {
        RequireAtLeast(values.Length, 2, nameof(values));
        return SumOfSquaredDeviations(values, Mean(values)) / (values.Length - 1);
    }

    /// <summary>The standard error of the mean, s/√n = √(s²/n) with s² the <see cref="SampleVariance"/> (divisor n − 1).</summary>
    /// <param name="values">The sample, at least two values.</param>
    /// <returns>√(s²/n).</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> has fewer than two values.</exception>
    public static double StandardError(ReadOnlySpan<double> values)
    {
        RequireAtLeast(values.Length, 2, nameof(values));
        return Math.Sqrt(SampleVariance(values) / values.Length);
    }

    /// <summary>
    /// The standard error of the <see cref="SampleVariance"/> for any distribution: √(max(0, m₄ − s⁴·(n − 3)/(n − 1))/n),
    /// with m₄ = (1/n)·Σ(xᵢ − x̄)⁴ the fourth central moment, since Var[s²] = (μ₄ − σ⁴·(n − 3)/(n − 1))/n.
    /// </summary>
    /// <param name="values">The sample, at least two values.</param>
    /// <returns>The estimated standard error of s² (for a normal sample ≈ s²·√(2/(n − 1))).</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> has fewer than two values.</exception>
    public static double SampleVarianceStandardError(ReadOnlySpan<double> values)
    {
        RequireAtLeast(values.Length, 2, nameof(values));
        int n = values.Length;
        double mean = Mean(values);
        double variance = SampleVariance(values);
        double fourth = 0;
        foreach (double v in values)
        {
            fourth += Math.Pow(v - mean, 4);
        }
        fourth /= n;
        return Math.Sqrt(Math.Max(fourth - variance * variance * (n - 3) / (n - 1), 0) / n);
    }

    /// <summary>
    /// The jackknife standard error of a statistic θ from its n leave-one-out estimates θ₍ᵢ₎ (θ computed without xᵢ):
    /// √((n − 1)/n · Σ(θ₍ᵢ₎ − θ̄₍·₎)²), θ̄₍·₎ their mean (Efron &amp; Tibshirani 1993, An Introduction to the Bootstrap, ch. 11).
    /// </summary>
    /// <remarks>For the mean as θ it equals <see cref="StandardError"/>; for a nonlinear θ (a fitted depth scale, a ratio)
    /// it needs no formula for θ's variance. A non-finite estimate gives NaN or ∞.</remarks>
    /// <param name="leaveOneOutEstimates">θ₍₁₎..θ₍ₙ₎, at least two.</param>
    /// <returns>The jackknife standard error of θ.</returns>
    /// <exception cref="ArgumentException">Fewer than two estimates.</exception>
    public static double JackknifeStandardError(ReadOnlySpan<double> leaveOneOutEstimates)
    {
        RequireAtLeast(leaveOneOutEstimates.Length, 2, nameof(leaveOneOutEstimates));
        int n = leaveOneOutEstimates.Length;
        double mean = Mean(leaveOneOutEstimates);
        return Math.Sqrt((n - 1.0) / n * SumOfSquaredDeviations(leaveOneOutEstimates, mean));
    }

    // Each sum runs in index order, so a result has the bits of the plain loops the callers had; widening float to
    // double is exact, and the generic methods compile to one loop per element type.
    private static double Sum<T>(ReadOnlySpan<T> values) where T : unmanaged, INumberBase<T>
    {
        double sum = 0;
        foreach (T v in values)
        {
            sum += double.CreateTruncating(v);
        }
        return sum;
    }

    private static double SumOfSquares<T>(ReadOnlySpan<T> values) where T : unmanaged, INumberBase<T>
    {
        double sum = 0;
        foreach (T v in values)
        {
            double x = double.CreateTruncating(v);
            sum += x * x;
        }
        return sum;
    }

    // Σx and Σx² in one loop: each accumulator sees the same values in the same order as Sum and SumOfSquares alone.
    private static SampleMoments RawMoments<T>(ReadOnlySpan<T> values) where T : unmanaged, INumberBase<T>
    {
        double sum = 0, squares = 0;
        foreach (T v in values)
        {
            double x = double.CreateTruncating(v);
            sum += x;
            squares += x * x;
        }
        return new SampleMoments(sum / values.Length, squares / values.Length);
    }

    private static double SumOfSquaredDeviations(ReadOnlySpan<double> values, double mean)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }
        return sum;
    }

    private static void RequireAtLeast(int count, int minimum, string parameterName, [CallerMemberName] string statistic = "")
    {
        if (count < minimum)
        {
            ThrowTooFew(count, minimum, parameterName, statistic);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooFew(int count, int minimum, string parameterName, string statistic)
    {
        string needs = minimum == 1 ? "at least one value" : "at least two values (a spread needs two)";
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"SampleStatistics.{statistic}: {parameterName} has {count} value{(count == 1 ? "" : "s")}; it needs {needs}. Check the count first where a smaller sample can occur (for example, report NaN for 'no data')."),
            parameterName);
    }
}
