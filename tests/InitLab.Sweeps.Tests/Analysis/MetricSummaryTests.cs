using InitLab.Sweeps.Analysis;

namespace InitLab.Sweeps.Tests.Analysis;

public sealed class MetricSummaryTests
{
    [Fact]
    public void Of_ThreeValuesAndANaN_MeanStandardErrorBandAndCounts()
    {
        MetricSummary summary = MetricSummary.Of([0.8, double.NaN, 0.9, 1.0], total: 5);

        // Worked by hand: mean 0.9; deviations ±0.1, 0 → sample variance 0.02/2 = 0.01, sd 0.1, SE 0.1/√3.
        Assert.Equal(0.9, summary.Mean, 12);
        Assert.Equal(0.1 / Math.Sqrt(3), summary.StandardError, 12);
        Assert.Equal(0.8, summary.Min);
        Assert.Equal(1.0, summary.Max);
        Assert.Equal(3, summary.Count);
        Assert.Equal(5, summary.Total);
    }

    [Fact]
    public void Of_OneValue_StandardErrorUnknown()
    {
        MetricSummary summary = MetricSummary.Of([0.7], total: 1);

        Assert.Equal(0.7, summary.Mean);
        Assert.True(double.IsNaN(summary.StandardError));
    }

    [Fact]
    public void Of_NoFiniteValue_AllNaN_TotalKept()
    {
        MetricSummary summary = MetricSummary.Of([double.PositiveInfinity], total: 2);

        Assert.True(double.IsNaN(summary.Mean));
        Assert.Equal(0, summary.Count);
        Assert.Equal(2, summary.Total);
    }
}
