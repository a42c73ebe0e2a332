namespace InitLab.Common;

/// <summary>
/// The first two raw moments of a sample, from one pass (<see cref="SampleStatistics.Moments(ReadOnlySpan{float})"/>),
/// and the population spread they give: what a probe needs when it reports a mean, a std and a mean square together.
/// </summary>
/// <param name="Mean">x̄ = (1/n)·Σxᵢ.</param>
/// <param name="MeanSquare">(1/n)·Σxᵢ², the second moment about 0.</param>
public readonly record struct SampleMoments(double Mean, double MeanSquare)
{
    /// <summary>σ² = (1/n)·Σxᵢ² − x̄² (divisor n, from the raw sums); slightly negative is possible for a near-constant
    /// sample (see <see cref="SampleStatistics.PopulationVariance(ReadOnlySpan{float})"/>).</summary>
    public double PopulationVariance => MeanSquare - Mean * Mean;

    /// <summary>σ = √max(0, σ²): a rounding-negative variance reads as 0.</summary>
    public double PopulationStandardDeviation => Math.Sqrt(Math.Max(0, PopulationVariance));
}
