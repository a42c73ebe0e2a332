using System.Globalization;
using InitLab.Sweeps;

namespace InitLab.Cli.Tests.Rendering;

/// <summary>Hand-built sweeps whose metrics the tests choose: a depth × initializer grid and a σ_w² × depth phase diagram.</summary>
internal static class SweepReportFixtures
{
    public static readonly SweepInfo Sweep = new(1, "fixture", "{}", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    /// <summary>relu/tanh × he_normal/glorot_uniform × depth 2, 5, 10 × lr 0.01/0.1 × 3 seeds. Accuracy =
    /// base − 0.02·depth (+0.05 for lr 0.1) + (seed − 2)·0.01, base 0.9 for he_normal with relu and 0.8 otherwise; tanh
    /// loses 0.1 more. History: accuracy rises linearly from 0.1 to the final value over 10 epochs.</summary>
    public static IReadOnlyList<TrialRecord> DepthVsInit()
    {
        var trials = new List<TrialRecord>();
        long id = 0;
        foreach (string activation in new[] { "relu", "tanh" })
        {
            foreach (string init in new[] { "he_normal", "glorot_uniform" })
            {
                foreach (int depth in new[] { 2, 5, 10 })
                {
                    foreach (double lr in new[] { 0.01, 0.1 })
                    {
                        for (ulong seed = 1; seed <= 3; seed++)
                        {
                            double accuracy = (init == "he_normal" && activation == "relu" ? 0.9 : 0.8) - (activation == "tanh" ? 0.1 : 0)
                                - 0.02 * depth + (lr == 0.1 ? 0.05 : 0) + ((int)seed - 2) * 0.01;
                            trials.Add(Done(++id, Settings(("activation", activation), ("init", init), ("depth", depth), ("lr", lr), ("width", 32), ("data", "digits")), seed, accuracy));
                        }
                    }
                }
            }
        }
        return trials;
    }

    /// <summary>tanh, σ_b² = 0.05, σ_w² 1, 1.5, 2, 2.5, 3 × depth 2, 5, 10, 20, 40 × 2 seeds; depth d trains (accuracy
    /// 0.95) when d ≤ <see cref="TrainableUpTo"/>[σ_w²], else stays near chance (0.11).</summary>
    public static IReadOnlyList<TrialRecord> PhaseDiagram()
    {
        var trials = new List<TrialRecord>();
        long id = 1000;
        foreach ((double weightVariance, int limit) in TrainableUpTo)
        {
            foreach (int depth in new[] { 2, 5, 10, 20, 40 })
            {
                for (ulong seed = 1; seed <= 2; seed++)
                {
                    double accuracy = depth <= limit ? 0.95 : 0.11;
                    trials.Add(Done(++id, Settings(("activation", "tanh"), ("init", "random_normal"), ("sigma-w2", weightVariance), ("sigma-b2", 0.05),
                        ("depth", depth), ("width", 64), ("data", "digits")), seed, accuracy));
                }
            }
        }
        return trials;
    }

    public static readonly (double WeightVariance, int Limit)[] TrainableUpTo = [(1.0, 5), (1.5, 20), (2.0, 20), (2.5, 10), (3.0, 5)];

    private static TrialRecord Done(long id, Dictionary<string, string> settings, ulong seed, double accuracy)
    {
        string history = "[" + string.Join(",", Enumerable.Range(1, 10).Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{{\"epoch\":{e},\"loss\":{2.3 * (1 - accuracy * e / 10)},\"accuracy\":{0.1 + (accuracy - 0.1) * e / 10},\"val_loss\":null,\"val_accuracy\":null}}"))) + "]";
        var result = new TrialResult(0.5, 10, 0.3, accuracy, 0.4, accuracy, "healthy", "fixture", history, "[]");
        return new TrialRecord(id, 1, new TrialSpec(settings, seed), TrialStatus.Done, 1, "w", null, null, null, null, result);
    }

    private static Dictionary<string, string> Settings(params (string Key, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
}
