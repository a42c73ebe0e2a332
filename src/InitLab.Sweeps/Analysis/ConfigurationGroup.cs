namespace InitLab.Sweeps.Analysis;

/// <summary>The trials of one configuration (same settings, different seeds).</summary>
/// <param name="ConfigHash">The settings' <see cref="TrialSpec.ConfigHash"/>.</param>
/// <param name="Settings">The settings shared by the trials.</param>
/// <param name="Trials">Every trial of the configuration, whatever its status, by seed.</param>
public sealed record ConfigurationGroup(string ConfigHash, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<TrialRecord> Trials)
{
    /// <summary>The value of a setting, or null when the configuration does not set it.</summary>
    /// <param name="name">Setting name.</param>
    /// <returns>The value or null.</returns>
    public string? this[string name] => Settings.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Trials that finished with a result.</summary>
    public int Done => Trials.Count(t => t.Status == TrialStatus.Done && t.Result is not null);

    /// <summary>The metric over the seeds; trials without a result (pending, running, failed) count in the total only.</summary>
    /// <param name="metric">What to measure.</param>
    /// <returns>The summary.</returns>
    public MetricSummary Summarize(TrialMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return MetricSummary.Of(Trials.Where(t => t.Status == TrialStatus.Done && t.Result is not null).Select(t => metric.Of(t.Result!)), Trials.Count);
    }

    /// <summary>Whether every setting of <paramref name="filter"/> has that value here.</summary>
    /// <param name="filter">Setting name → required value.</param>
    /// <returns>True when it matches.</returns>
    public bool Matches(IReadOnlyDictionary<string, string>? filter) =>
        filter is null || filter.All(kv => this[kv.Key] is string value && string.Equals(value, kv.Value, StringComparison.Ordinal));
}
