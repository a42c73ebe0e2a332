namespace InitLab.Sweeps.Analysis;

/// <summary>Groups a sweep's trials into configurations and finds the settings that vary (the axes).</summary>
public static class SweepAnalysis
{
    /// <summary>The trials grouped by configuration (config hash), each group's trials by seed, groups in order of their first trial.</summary>
    /// <param name="trials">Trials of one sweep.</param>
    /// <returns>The groups.</returns>
    public static IReadOnlyList<ConfigurationGroup> GroupBySeeds(IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return [.. trials
            .GroupBy(t => t.Spec.ConfigHash, StringComparer.Ordinal)
            .Select(g => new ConfigurationGroup(g.Key, g.First().Spec.Settings, [.. g.OrderBy(t => t.Spec.Seed)]))];
    }

    /// <summary>The settings that take more than one value across the groups (a setting some groups lack counts as varying
    /// only among those that have it).</summary>
    /// <param name="groups">Configurations.</param>
    /// <returns>The axes, by name (ordinal).</returns>
    public static IReadOnlyList<ObservedAxis> Axes(IReadOnlyList<ConfigurationGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return [.. groups.SelectMany(g => g.Settings)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(g => ObservedAxis.Of(g.Key, g.Select(kv => kv.Value)))
            .Where(a => a.Values.Count > 1)
            .OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    /// <summary>The value of a setting that every group sets to the same value, or null when it varies or some group lacks it.</summary>
    /// <param name="groups">Configurations.</param>
    /// <param name="name">Setting name.</param>
    /// <returns>The shared value or null.</returns>
    public static string? SharedValue(IReadOnlyList<ConfigurationGroup> groups, string name)
    {
        ArgumentNullException.ThrowIfNull(groups);
        string[] values = [.. groups.Select(g => g[name] ?? "\n").Distinct(StringComparer.Ordinal)];
        return values.Length == 1 && values[0] != "\n" ? values[0] : null;
    }

    /// <summary>The best configuration among <paramref name="groups"/> by the mean of <paramref name="metric"/>; ties (and
    /// configurations without a finite mean) go to the earlier group, so the choice is deterministic.</summary>
    /// <param name="groups">Candidates.</param>
    /// <param name="metric">What to compare.</param>
    /// <returns>The best and its summary, or null when there is no candidate.</returns>
    public static (ConfigurationGroup Group, MetricSummary Summary)? Best(IEnumerable<ConfigurationGroup> groups, TrialMetric metric)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(metric);
        (ConfigurationGroup Group, MetricSummary Summary)? best = null;
        foreach (ConfigurationGroup group in groups)
        {
            MetricSummary summary = group.Summarize(metric);
            if (best is null || metric.IsBetter(summary.Mean, best.Value.Summary.Mean))
            {
                best = (group, summary);
            }
        }
        return best;
    }
}
