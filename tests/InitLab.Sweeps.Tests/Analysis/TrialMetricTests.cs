using InitLab.Common;
using InitLab.Sweeps.Analysis;

namespace InitLab.Sweeps.Tests.Analysis;

public sealed class TrialMetricTests
{
    [Fact]
    public void EpochsToReach_AccuracyCrossesInThirdEpoch_Returns3()
    {
        var trial = SweepFixtures.Done(SweepFixtures.Settings(("depth", 2)), 1, 0.9, history: SweepFixtures.AccuracyHistory(0.5, 0.85, 0.95, 0.97));

        Assert.Equal(3, TrialMetric.EpochsToReach("accuracy", 0.9, reachAbove: true).Of(trial.Result!));
        // Exactly at the threshold counts as reached (0.85 ≥ 0.85 in epoch 2).
        Assert.Equal(2, TrialMetric.EpochsToReach("accuracy", 0.85, reachAbove: true).Of(trial.Result!));
    }

    [Fact]
    public void EpochsToReach_LossFromAbove_FirstEpochAtOrBelow()
    {
        // Loss is 1 − accuracy in the fixture: 0.5, 0.15, 0.05.
        var trial = SweepFixtures.Done(SweepFixtures.Settings(("depth", 2)), 1, 0.9, history: SweepFixtures.AccuracyHistory(0.5, 0.85, 0.95));

        Assert.Equal(3, TrialMetric.EpochsToReach("loss", 0.1, reachAbove: false).Of(trial.Result!));
    }

    [Fact]
    public void EpochsToReach_NeverReached_NaN()
    {
        var trial = SweepFixtures.Done(SweepFixtures.Settings(("depth", 2)), 1, 0.9, history: SweepFixtures.AccuracyHistory(0.1, 0.2));

        Assert.True(double.IsNaN(TrialMetric.EpochsToReach("accuracy", 0.9, reachAbove: true).Of(trial.Result!)));
        Assert.True(double.IsNaN(TrialMetric.EpochsToReach("val_accuracy", 0.0, reachAbove: true).Of(trial.Result!)));
    }

    [Fact]
    public void Resolve_Misspelled_SuggestsNearest()
    {
        var error = Assert.Throws<UnknownNameException>(() => TrialMetric.Resolve("test_acuracy", TrialMetric.Standard));

        Assert.Contains("test_accuracy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsBetter_FollowsDirection_FiniteBeatsNaN()
    {
        Assert.True(TrialMetric.TestAccuracy.IsBetter(0.9, 0.8));
        Assert.True(TrialMetric.TestLoss.IsBetter(0.1, 0.2));
        Assert.True(TrialMetric.TestLoss.IsBetter(5, double.NaN));
        Assert.False(TrialMetric.TestLoss.IsBetter(double.NaN, 5));
    }
}
