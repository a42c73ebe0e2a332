using InitLab.Common;

namespace InitLab.Sweeps.Definition;

/// <summary>Ready-made sweeps that run on one small machine in minutes.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>depth-vs-init</c>: at which depth does each initializer stop training? relu and tanh × he_normal,
/// glorot_uniform, lecun_normal, orthogonal and Glorot &amp; Bengio's "standard" U[−1/√n, 1/√n] (the catalog's
/// <c>torch_linear_default</c>) × depth 2, 5, 10, 20, 30, 50 × 3 seeds = 180 trials: digits, width 32, 5 epochs, Adam.</item>
/// <item><c>phase-diagram</c>: Schoenholz et al. 2017 (<i>Deep Information Propagation</i>, Fig. 5) scaled down: tanh,
/// σ_b² = 0.05, σ_w² from 1 to 4 (9 values) × depth 5 … 60 (8 values) × 2 seeds = 144 trials: digits, width 32,
/// 30 epochs of SGD (lr 0.01, batch 32; at lr 0.05 every σ_w² from 1.25 to 2.5 stops at depth 30, the step size
/// rather than the signal propagation limiting depth) — with 5 or fewer nothing deeper than ~10 layers trains at any σ_w², so the
/// diagram would show the budget, not the theory — where the trainable depth should track ~6ξ_c, the
/// correlation depth that diverges at the critical σ_w² ≈ 1.76.</item>
/// </list>
/// Any flag given with a preset replaces that setting (e.g. <c>--epochs 10</c>, <c>--seeds 5</c>).
/// </remarks>
public static class SweepPresets
{
    private static readonly Dictionary<string, (string Summary, Func<IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>> Settings, int Seeds)> Presets =
        new(StringComparer.Ordinal)
        {
            ["depth-vs-init"] = ("relu/tanh × 5 initializers × depth 2…50 × 3 seeds on digits (180 trials)", () =>
            [
                S("activation", "relu", "tanh"),
                S("init", "he_normal", "glorot_uniform", "lecun_normal", "orthogonal", "glorot_bengio_standard"),
                S("depth", "2", "5", "10", "20", "30", "50"),
                S("data", "digits"),
                S("width", "32"),
                S("epochs", "5"),
                S("batch-size", "32"),
            ], 3),
            ["phase-diagram"] = ("tanh, σ_b² = 0.05, σ_w² 1…4 × depth 5…60 × 2 seeds on digits (144 trials; Schoenholz et al. 2017)", () =>
            [
                S("sigma-w2", "1", "1.25", "1.5", "1.75", "2", "2.5", "3", "3.5", "4"),
                S("depth", "5", "10", "15", "20", "30", "40", "50", "60"),
                S("activation", "tanh"),
                S("sigma-b2", "0.05"),
                S("data", "digits"),
                S("width", "32"),
                S("optimizer", "sgd"),
                S("lr", "0.01"),
                S("epochs", "30"),
                S("batch-size", "32"),
            ], 2),
        };

    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Presets.Keys];

    /// <summary>One line about a preset.</summary>
    /// <param name="name">A preset name.</param>
    /// <returns>What it sweeps.</returns>
    public static string Summary(string name) => Presets[Known(name)].Summary;

    /// <summary>A preset's settings (in axis order) and seeds, for flags to override before <see cref="SweepDefinition.Create"/>.</summary>
    /// <param name="name">A preset name.</param>
    /// <returns>The settings and the seeds.</returns>
    /// <exception cref="UnknownNameException">Not a preset; the nearest is suggested.</exception>
    public static (IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Settings, IReadOnlyList<ulong> Seeds) Settings(string name)
    {
        var preset = Presets[Known(name)];
        return (preset.Settings(), SweepDefinition.SeedRange(preset.Seeds));
    }

    /// <summary>The preset as a definition.</summary>
    /// <param name="name">A preset name.</param>
    /// <returns>The definition.</returns>
    public static SweepDefinition Definition(string name)
    {
        (var settings, var seeds) = Settings(name);
        return SweepDefinition.Create(settings, seeds);
    }

    private static string Known(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant().Replace('_', '-');
        return Presets.ContainsKey(key) ? key : throw new UnknownNameException("preset", name, Names, nameof(name));
    }

    private static KeyValuePair<string, IReadOnlyList<string>> S(string name, params string[] values) => KeyValuePair.Create(name, (IReadOnlyList<string>)values);
}
