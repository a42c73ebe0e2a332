using System.Globalization;

namespace InitLab.Sweeps.Tests.Analysis;

/// <summary>Hand-built trial records whose metrics the tests choose, so every expected answer is known in advance.</summary>
internal static class SweepFixtures
{
    private static long s_id;

    public static TrialRecord Done(IReadOnlyDictionary<string, string> settings, ulong seed, double testAccuracy, double testLoss = 1,
        double trainLoss = 1, string history = "[]", double seconds = 1)
    {
        var result = new TrialResult(seconds, 10, trainLoss, double.NaN, testLoss, testAccuracy, "healthy", "fixture", history, "[]");
        return new TrialRecord(Interlocked.Increment(ref s_id), 1, new TrialSpec(settings, seed), TrialStatus.Done, 1, "w", null, null, null, null, result);
    }

    public static TrialRecord Failed(IReadOnlyDictionary<string, string> settings, ulong seed) =>
        new(Interlocked.Increment(ref s_id), 1, new TrialSpec(settings, seed), TrialStatus.Failed, 1, "w", null, null, null, "boom", null);

    public static Dictionary<string, string> Settings(params (string Key, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!, StringComparer.Ordinal);

    /// <summary>History JSON with one object per epoch (epoch counted from 1) holding the given accuracies.</summary>
    public static string AccuracyHistory(params double[] accuracies) =>
        "[" + string.Join(",", accuracies.Select((a, i) => string.Create(CultureInfo.InvariantCulture,
            $"{{\"epoch\":{i + 1},\"loss\":{1 - a},\"accuracy\":{a},\"val_loss\":null,\"val_accuracy\":null}}"))) + "]";
}
