using InitLab.Common;

namespace InitLab.Sweeps.Running;

/// <summary>Where a sweep stands: counts by status, verdicts, timing and an estimate of the time left.</summary>
/// <param name="Pending">Trials not started (or given back).</param>
/// <param name="Running">Trials held by a worker.</param>
/// <param name="Done">Trials with a result.</param>
/// <param name="Failed">Trials that failed, with their reasons.</param>
/// <param name="Verdicts">Done trials per verdict, most frequent first.</param>
/// <param name="MedianTrialSeconds">Median wall time of the done trials (NaN when none is done).</param>
/// <param name="ActiveWorkers">Distinct workers holding a trial now.</param>
public sealed record SweepProgress(int Pending, int Running, int Done, IReadOnlyList<TrialRecord> Failed,
    IReadOnlyList<KeyValuePair<string, int>> Verdicts, double MedianTrialSeconds, int ActiveWorkers)
{
    /// <summary>All trials.</summary>
    public int Total => Pending + Running + Done + Failed.Count;

    /// <summary>Estimated time left: (pending + running) × the median trial time ÷ the active workers (at least one);
    /// null when no trial is done yet.</summary>
    public TimeSpan? Remaining => double.IsNaN(MedianTrialSeconds) ? null
        : TimeSpan.FromSeconds((Pending + Running) * MedianTrialSeconds / Math.Max(1, ActiveWorkers));

    /// <summary>Summarises a sweep's trials.</summary>
    /// <param name="trials">The trials (<see cref="Store.ISweepStore.Trials"/>).</param>
    /// <returns>The progress.</returns>
    public static SweepProgress Of(IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        double[] seconds = [.. trials.Where(t => t.Result is not null).Select(t => t.Result!.Seconds)];
        double median = seconds.Length == 0 ? double.NaN : SampleStatistics.Median(seconds);
        return new SweepProgress(
            trials.Count(t => t.Status == TrialStatus.Pending),
            trials.Count(t => t.Status == TrialStatus.Running),
            trials.Count(t => t.Status == TrialStatus.Done),
            [.. trials.Where(t => t.Status == TrialStatus.Failed)],
            [.. trials.Where(t => t.Result is not null).GroupBy(t => t.Result!.Verdict, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)],
            median,
            trials.Where(t => t.Status == TrialStatus.Running).Select(t => t.Worker).Distinct(StringComparer.Ordinal).Count());
    }
}
