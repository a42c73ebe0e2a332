using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InitLab.Common;
using InitLab.Random;

namespace InitLab.Tests.Common;

// Expected values are worked by hand on small samples (exact fractions); the laws compare two functions on random
// samples with a tolerance derived from their size.
public class SampleStatisticsTests
{
    [Fact]
    public void Mean_OneTwoFour_IsSevenThirds() => Assert.Equal(7.0 / 3, SampleStatistics.Mean([1.0, 2.0, 4.0]));

    [Fact]
    public void Mean_FloatsThatCancel_AccumulatesInDouble()
    {
        // In float 1e8 + 1 rounds back to 1e8 and the mean would be 0.25; in double the sum is exactly 2.
        float[] values = [1e8f, 1f, -1e8f, 1f];

        Assert.Equal(0.5, SampleStatistics.Mean(values));
    }

    [Fact]
    public void MeanSquare_OneMinusTwoThree_IsFourteenThirds() => Assert.Equal(14.0 / 3, SampleStatistics.MeanSquare([1f, -2f, 3f]));

    [Fact]
    public void PopulationVariance_OneToFourFloats_IsFiveQuarters()
    {
        // x̄ = 5/2, Σx²/n = 30/4: 30/4 − 25/4 = 5/4 (the sample variance would be 5/3).
        Assert.Equal(1.25, SampleStatistics.PopulationVariance([1f, 2f, 3f, 4f]));
    }

    [Fact]
    public void PopulationVariance_TextbookDoubles_IsFour()
    {
        // x̄ = 40/8 = 5, Σx² = 232: 232/8 − 25 = 4.
        Assert.Equal(4.0, SampleStatistics.PopulationVariance([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]));
    }

    [Fact]
    public void Moments_OneToFour_MeanFiveHalvesMeanSquareFifteenHalvesVarianceFiveQuarters()
    {
        // (1 + 2 + 3 + 4)/4 = 5/2; (1 + 4 + 9 + 16)/4 = 15/2; 15/2 − 25/4 = 5/4.
        Assert.Equal(new SampleMoments(2.5, 7.5), SampleStatistics.Moments([1f, 2f, 3f, 4f]));
        Assert.Equal(new SampleMoments(2.5, 7.5), SampleStatistics.Moments([1.0, 2.0, 3.0, 4.0]));
        Assert.Equal(1.25, SampleStatistics.Moments([1f, 2f, 3f, 4f]).PopulationVariance);
        Assert.Equal(Math.Sqrt(1.25), SampleStatistics.Moments([1f, 2f, 3f, 4f]).PopulationStandardDeviation);
    }

    [Fact]
    public void PopulationStandardDeviation_TextbookFloats_IsTwo() =>
        Assert.Equal(2.0, SampleStatistics.PopulationStandardDeviation([2f, 4f, 4f, 4f, 5f, 5f, 7f, 9f]));

    [Fact]
    public void PopulationStandardDeviation_ConstantSampleRoundingBelowZero_IsZeroNotNaN()
    {
        // 252 copies of this float: Σx²/n − x̄² rounds to about −1e-14 in the one-pass form (found by search).
        float[] values = [.. Enumerable.Repeat(1.3911856412887573f, 252)];

        Assert.True(SampleStatistics.PopulationVariance(values) < 0);
        Assert.Equal(0.0, SampleStatistics.PopulationStandardDeviation(values));
    }

    [Fact]
    public void SampleVariance_OneToFour_IsFiveThirds()
    {
        // Σ(x − 5/2)² = 9/4 + 1/4 + 1/4 + 9/4 = 5, over n − 1 = 3.
        Assert.Equal(5.0 / 3, SampleStatistics.SampleVariance([1.0, 2.0, 3.0, 4.0]));
    }

    [Fact]
    public void StandardError_OneToFour_IsRootOfFiveTwelfths() =>
        Assert.Equal(Math.Sqrt(5.0 / 12), SampleStatistics.StandardError([1.0, 2.0, 3.0, 4.0]), 15);

    [Fact]
    public void SampleVarianceStandardError_OneToFour_MatchesTheFourthMomentFormula()
    {
        // m₄ = (2·(3/2)⁴ + 2·(1/2)⁴)/4 = 41/16; s⁴·(n − 3)/(n − 1) = (25/9)·(1/3) = 25/27;
        // (41/16 − 25/27)/4 = (707/432)/4 = 707/1728.
        Assert.Equal(Math.Sqrt(707.0 / 1728), SampleStatistics.SampleVarianceStandardError([1.0, 2.0, 3.0, 4.0]), 15);
    }

    [Fact]
    public void JackknifeStandardError_OneTwoThree_IsRootOfFourThirds()
    {
        // θ̄ = 2, Σ(θᵢ − θ̄)² = 2, (n − 1)/n = 2/3: √(4/3).
        Assert.Equal(Math.Sqrt(4.0 / 3), SampleStatistics.JackknifeStandardError([1.0, 2.0, 3.0]), 15);
    }

    [Fact]
    public void Median_OddCount_IsTheMiddleValue() => Assert.Equal(3.0, SampleStatistics.Median([5.0, 1.0, 3.0]));

    [Fact]
    public void Median_EvenCount_IsTheMeanOfTheTwoMiddleValues() => Assert.Equal(2.5, SampleStatistics.Median([4.0, 1.0, 3.0, 2.0]));

    [Fact]
    public void Median_UnsortedInput_IsLeftAsItWas()
    {
        double[] values = [4.0, 1.0, 3.0];

        _ = SampleStatistics.Median(values);

        Assert.Equal([4.0, 1.0, 3.0], values);
    }

    [Fact]
    public void Median_WithNaN_SortsNaNBelowEveryNumber() => Assert.Equal(1.0, SampleStatistics.Median([2.0, double.NaN, 1.0]));

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.25, 1.75)] // h = 0.75: 1 + 0.75·(2 − 1)
    [InlineData(0.5, 2.5)]
    [InlineData(1.0, 4.0)]
    public void Quantile_OneToFour_InterpolatesLinearly(double fraction, double expected) =>
        Assert.Equal(expected, SampleStatistics.Quantile([3.0, 1.0, 4.0, 2.0], fraction), 15);

    [Fact]
    public void Quantile_NinetiethOfTenToFifty_IsNumpysFortySix()
    {
        // numpy.quantile([10, 20, 30, 40, 50], 0.9) = 46.0: h = 3.6, 40 + 0.6·10.
        Assert.Equal(46.0, SampleStatistics.Quantile([50.0, 10.0, 40.0, 20.0, 30.0], 0.9), 12);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Quantile_FractionOutsideUnitInterval_ThrowsNamingFraction(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SampleStatistics.Quantile([1.0, 2.0], fraction));

        Assert.Equal("fraction", ex.ParamName);
        Assert.Contains("must be in [0, 1]", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, Action<double[]>> TooSmallSamples => new()
    {
        { "Mean", 0, v => SampleStatistics.Mean(v) },
        { "Mean", 0, v => SampleStatistics.Mean(ToFloats(v)) },
        { "MeanSquare", 0, v => SampleStatistics.MeanSquare(ToFloats(v)) },
        { "Moments", 0, v => SampleStatistics.Moments(ToFloats(v)) },
        { "Moments", 0, v => SampleStatistics.Moments(v) },
        { "PopulationVariance", 0, v => SampleStatistics.PopulationVariance(v) },
        { "PopulationVariance", 0, v => SampleStatistics.PopulationVariance(ToFloats(v)) },
        { "PopulationStandardDeviation", 0, v => SampleStatistics.PopulationStandardDeviation(ToFloats(v)) },
        { "Median", 0, v => SampleStatistics.Median(v) },
        { "Quantile", 0, v => SampleStatistics.Quantile(v, 0.5) },
        { "SampleVariance", 1, v => SampleStatistics.SampleVariance(v) },
        { "StandardError", 1, v => SampleStatistics.StandardError(v) },
        { "SampleVarianceStandardError", 1, v => SampleStatistics.SampleVarianceStandardError(v) },
        { "JackknifeStandardError", 1, v => SampleStatistics.JackknifeStandardError(v) },
    };

    [Theory]
    [MemberData(nameof(TooSmallSamples))]
    public void Statistic_TooFewValues_ThrowsArgumentExceptionNamingTheStatisticAndCount(string statistic, int count, Action<double[]> call)
    {
        var ex = Assert.Throws<ArgumentException>(() => call(new double[count]));

        Assert.Equal(statistic == "JackknifeStandardError" ? "leaveOneOutEstimates" : "values", ex.ParamName);
        Assert.Contains($"SampleStatistics.{statistic}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(count == 1 ? "has 1 value;" : "has 0 values;", ex.Message, StringComparison.Ordinal);
    }

    [Property]
    public Property SampleVariance_ShiftedSample_IsUnchanged() => ForAnySample(2, values =>
    {
        double variance = SampleStatistics.SampleVariance(values);
        // Adding |shift| ≤ 1000 to values of order 1 loses about 1000·ε per value to rounding.
        return new[] { -1000, -0.5, 3, 1000 }.All(shift =>
            Math.Abs(SampleStatistics.SampleVariance([.. values.Select(v => v + shift)]) - variance) <= 1e-9 * (1 + variance));
    });

    [Property]
    public Property JackknifeStandardError_OfTheMean_EqualsTheStandardError() => ForAnySample(2, values =>
    {
        // θ₍ᵢ₎ − θ̄₍·₎ = (x̄ − xᵢ)/(n − 1) for the mean, so (n − 1)/n·Σ(θ₍ᵢ₎ − θ̄₍·₎)² = Σ(xᵢ − x̄)²/(n(n − 1)) = s²/n.
        double total = values.Sum();
        double[] leaveOneOut = [.. values.Select(v => (total - v) / (values.Length - 1))];
        double standardError = SampleStatistics.StandardError(values);
        return Math.Abs(SampleStatistics.JackknifeStandardError(leaveOneOut) - standardError) <= 1e-12 * (1 + standardError);
    });

    [Property]
    public Property Median_AnySample_EqualsTheHalfQuantile() => ForAnySample(1, values =>
        Math.Abs(SampleStatistics.Median(values) - SampleStatistics.Quantile(values, 0.5)) <= 1e-15 * (1 + values.Max(Math.Abs)));

    /// <summary>A law over standard normal samples of <paramref name="minimumCount"/> to 60 values, drawn from a generated seed.</summary>
    private static Property ForAnySample(int minimumCount, Func<double[], bool> law) =>
        Prop.ForAll(Gen.Choose(minimumCount, 60).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (n, seed) => law(Draw(n, seed)));

    private static double[] Draw(int n, int seed)
    {
        var rng = new Rng((ulong)seed);
        return [.. Enumerable.Range(0, n).Select(_ => rng.NextNormal())];
    }

    private static float[] ToFloats(double[] values) => [.. values.Select(v => (float)v)];
}
