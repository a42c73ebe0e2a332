using InitLab.Sweeps.Analysis;

namespace InitLab.Cli.Rendering;

/// <summary>What <c>initlab sweep report</c> measures against.</summary>
/// <param name="Chance">Accuracy of guessing (1/classes for balanced classes).</param>
/// <param name="TrainableAccuracy">Mean test accuracy at which a depth counts as trainable in the phase diagram.</param>
/// <param name="ThresholdKey">History key whose first crossing is the time to threshold (accuracy, loss, val_accuracy, val_loss).</param>
/// <param name="Threshold">The level it must reach.</param>
internal sealed record SweepReportOptions(double Chance, double TrainableAccuracy, string ThresholdKey, double Threshold)
{
    /// <summary>Losses are reached from above, accuracies from below.</summary>
    public bool ThresholdFromBelow => !ThresholdKey.Contains("loss", StringComparison.Ordinal);

    /// <summary>The time-to-threshold metric.</summary>
    public TrialMetric TimeToThreshold => TrialMetric.EpochsToReach(ThresholdKey, Threshold, ThresholdFromBelow);

    /// <summary>Every metric the report and its page offer.</summary>
    public IReadOnlyList<TrialMetric> Metrics => [.. TrialMetric.Standard, TimeToThreshold];
}
