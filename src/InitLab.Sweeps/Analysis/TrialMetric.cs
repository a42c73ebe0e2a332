using System.Globalization;
using System.Text.Json;
using InitLab.Common;

namespace InitLab.Sweeps.Analysis;

/// <summary>A number measured on a finished trial, by name, with the direction in which it is better.</summary>
public sealed class TrialMetric
{
    private readonly Func<TrialResult, double> _extract;

    /// <summary>Creates a metric.</summary>
    /// <param name="name">Short name (the CLI and the report's drop-down use it).</param>
    /// <param name="label">Axis label, with the unit.</param>
    /// <param name="higherIsBetter">Whether a larger value is the better one (accuracy) or the worse (loss, time).</param>
    /// <param name="extract">Reads the value from a result; NaN or ±∞ when it has none (a diverged run, a threshold never reached).</param>
    public TrialMetric(string name, string label, bool higherIsBetter, Func<TrialResult, double> extract)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(extract);
        Name = name;
        Label = label;
        HigherIsBetter = higherIsBetter;
        _extract = extract;
    }

    /// <summary>Short name.</summary>
    public string Name { get; }

    /// <summary>Axis label.</summary>
    public string Label { get; }

    /// <summary>Whether a larger value is better.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Test accuracy of the final model (a fraction, 0–1).</summary>
    public static TrialMetric TestAccuracy { get; } = new("test_accuracy", "test accuracy", true, r => r.TestAccuracy);

    /// <summary>Test loss of the final model.</summary>
    public static TrialMetric TestLoss { get; } = new("test_loss", "test loss", false, r => r.TestLoss);

    /// <summary>Final training loss.</summary>
    public static TrialMetric TrainLoss { get; } = new("train_loss", "final training loss", false, r => r.TrainLoss);

    /// <summary>Final training accuracy.</summary>
    public static TrialMetric TrainAccuracy { get; } = new("train_accuracy", "final training accuracy", true, r => r.TrainAccuracy);

    /// <summary>Wall time of the training in seconds.</summary>
    public static TrialMetric Seconds { get; } = new("seconds", "training time (s)", false, r => r.Seconds);

    /// <summary>The metrics every finished trial has.</summary>
    public static IReadOnlyList<TrialMetric> Standard { get; } = [TestAccuracy, TestLoss, TrainLoss, TrainAccuracy, Seconds];

    /// <summary>
    /// Time to threshold: the first epoch whose history value <paramref name="historyKey"/> reaches <paramref name="threshold"/>
    /// (≥ it when <paramref name="reachAbove"/>, ≤ it otherwise), counted from 1; NaN when no epoch reaches it (the report
    /// shows those trials as "not reached" through <see cref="MetricSummary.Count"/> &lt; <see cref="MetricSummary.Total"/>).
    /// </summary>
    /// <param name="historyKey">A key of the per-epoch history objects: loss, accuracy, val_loss, val_accuracy.</param>
    /// <param name="threshold">The level to reach.</param>
    /// <param name="reachAbove">True for accuracies (reach from below), false for losses (reach from above).</param>
    /// <returns>The metric (fewer epochs is better).</returns>
    public static TrialMetric EpochsToReach(string historyKey, double threshold, bool reachAbove)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(historyKey);
        if (!double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "EpochsToReach: the threshold must be a finite number.");
        }
        string relation = reachAbove ? "≥" : "≤";
        string name = string.Create(CultureInfo.InvariantCulture, $"epochs_to_{historyKey}_{(reachAbove ? "ge" : "le")}_{threshold}");
        string label = string.Create(CultureInfo.InvariantCulture, $"epochs until {historyKey} {relation} {threshold:G4}");
        return new TrialMetric(name, label, false, r => FirstEpochReaching(r.HistoryJson, historyKey, threshold, reachAbove));
    }

    /// <summary>The metric of that name among <paramref name="metrics"/>.</summary>
    /// <param name="name">Name as typed (case-insensitive).</param>
    /// <param name="metrics">Candidates.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="UnknownNameException">No metric has that name; the message lists them and the nearest.</exception>
    public static TrialMetric Resolve(string name, IEnumerable<TrialMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(metrics);
        TrialMetric[] all = [.. metrics];
        return all.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new UnknownNameException("metric", name, all.Select(m => m.Name), nameof(name));
    }

    /// <summary>The value for one result.</summary>
    /// <param name="result">A finished trial's result.</param>
    /// <returns>The value (NaN or ±∞ when there is none).</returns>
    public double Of(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return _extract(result);
    }

    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/>; a finite value beats a non-finite one.</summary>
    /// <param name="a">A value.</param>
    /// <param name="b">Another.</param>
    /// <returns>True when a is better.</returns>
    public bool IsBetter(double a, double b)
    {
        if (!double.IsFinite(a))
        {
            return false;
        }
        if (!double.IsFinite(b))
        {
            return true;
        }
        return HigherIsBetter ? a > b : a < b;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static double FirstEpochReaching(string historyJson, string key, double threshold, bool reachAbove)
    {
        using JsonDocument document = JsonDocument.Parse(string.IsNullOrWhiteSpace(historyJson) ? "[]" : historyJson);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"A trial's history must be a JSON array of per-epoch objects; got a JSON {document.RootElement.ValueKind}.");
        }
        int index = 0;
        foreach (JsonElement epoch in document.RootElement.EnumerateArray())
        {
            index++;
            if (epoch.ValueKind != JsonValueKind.Object || !epoch.TryGetProperty(key, out JsonElement value) || value.ValueKind != JsonValueKind.Number)
            {
                continue;
            }
            double v = value.GetDouble();
            if (reachAbove ? v >= threshold : v <= threshold)
            {
                return epoch.TryGetProperty("epoch", out JsonElement number) && number.ValueKind == JsonValueKind.Number ? number.GetDouble() : index;
            }
        }
        return double.NaN;
    }
}
