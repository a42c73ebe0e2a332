namespace InitLab.Diagnostics;

/// <summary>What happened to a training run, in the tutorial's words.</summary>
public enum Verdict
{
    /// <summary>The signal or the gradient grows without bound (or the loss became NaN).</summary>
    ExplodingGradients,

    /// <summary>tanh/sigmoid units sit in their flat tails, where the gradient is ~0.</summary>
    Saturated,

    /// <summary>The hidden weights never moved: zero activations and zero gradients.</summary>
    NoTraining,

    /// <summary>Every hidden layer has one distinct unit: symmetry was never broken, the net acts as one neuron per layer.</summary>
    Symmetric,

    /// <summary>The signal or the gradient fades across the layers.</summary>
    VanishingGradients,

    /// <summary>Training works but reaches a clearly worse fit in the same budget.</summary>
    SlowConvergence,

    /// <summary>Signals and gradients keep their scale and the net trains.</summary>
    Healthy,
}

/// <summary>Every threshold the verdict classifier uses, in one place.</summary>
public sealed record VerdictThresholds
{
    /// <summary>Symmetric when every hidden layer (wider than 1) has this many distinct units.</summary>
    public int SymmetricDistinctUnits { get; init; } = 1;

    /// <summary>Exploding when a ratio (first/last gradient, last/first activation std) at initialisation exceeds this.</summary>
    public double ExplodingRatio { get; init; } = 1e3;

    /// <summary>Exploding when any layer's pre-activation std at initialisation exceeds this.</summary>
    public double ExplodingPreActivationStd { get; init; } = 1e3;

    /// <summary>Saturated when more than this fraction of some tanh/sigmoid hidden layer's activations is saturated at initialisation.</summary>
    public double SaturatedFraction { get; init; } = 0.5;

    /// <summary>Vanishing when the first-layer gradient norm is below this fraction of the last layer's at initialisation.</summary>
    public double VanishingGradientRatio { get; init; } = 1e-3;

    /// <summary>Vanishing when the last hidden layer's activation std is below this fraction of the first's at initialisation.</summary>
    public double VanishingActivationRatio { get; init; } = 1e-2;

    /// <summary>Slow convergence when the final test accuracy is below this (for a task healthy nets solve).</summary>
    public double HealthyAccuracy { get; init; } = 0.9;

    /// <summary>The defaults.</summary>
    public static VerdictThresholds Default { get; } = new();
}

/// <summary>The evidence a verdict is drawn from.</summary>
/// <param name="AtInit">Snapshot on the probe batch before training.</param>
/// <param name="HiddenWeightsUnchanged">Every hidden kernel and bias bit-identical after training.</param>
/// <param name="DistinctHiddenUnits">Distinct units per hidden layer after training.</param>
/// <param name="Diverged">The loss became NaN or infinite.</param>
/// <param name="FinalAccuracy">Test accuracy after training (NaN if none).</param>
public sealed record VerdictEvidence(ModelSnapshot AtInit, bool HiddenWeightsUnchanged, IReadOnlyList<int> DistinctHiddenUnits, bool Diverged, double FinalAccuracy);

/// <summary>Maps evidence to a <see cref="Verdict"/>; the rules are tried in the order of the enum and the first that fires wins.</summary>
public static class VerdictClassifier
{
    /// <summary>Classifies.</summary>
    /// <param name="evidence">The evidence.</param>
    /// <param name="thresholds">Thresholds (null: defaults).</param>
    /// <returns>The verdict and a one-line reason with the numbers.</returns>
    public static (Verdict Verdict, string Reason) Classify(VerdictEvidence evidence, VerdictThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var t = thresholds ?? VerdictThresholds.Default;
        ModelSnapshot init = evidence.AtInit;
        double gradientRatio = init.GradientRatio, activationRatio = init.ActivationStdRatio;
        double maxPreStd = init.Layers.Max(l => l.PreActivationStd);
        if (evidence.Diverged || gradientRatio > t.ExplodingRatio || activationRatio > t.ExplodingRatio || maxPreStd > t.ExplodingPreActivationStd || !double.IsFinite(init.Loss))
        {
            return (Verdict.ExplodingGradients, FormattableString.Invariant(
                $"{(evidence.Diverged ? "loss diverged; " : string.Empty)}pre-activation std up to {maxPreStd:G3}, activation std ratio {activationRatio:G3}, gradient ratio {gradientRatio:G3}"));
        }
        // Saturation comes before "no training": saturated units have a float32 slope of exactly 0, so their weights
        // may not move at all, and the cause to report is the saturation.
        double saturated = init.Hidden.Max(l => l.SaturatedFraction);
        if (saturated > t.SaturatedFraction)
        {
            return (Verdict.Saturated, FormattableString.Invariant($"{saturated:P0} of a hidden layer's activations saturated at init"));
        }
        if (evidence.HiddenWeightsUnchanged)
        {
            return (Verdict.NoTraining, "hidden weights bit-identical after training (zero activations and gradients)");
        }
        if (evidence.DistinctHiddenUnits.Count > 0 && evidence.DistinctHiddenUnits.All(d => d <= t.SymmetricDistinctUnits))
        {
            return (Verdict.Symmetric, $"every hidden layer has {t.SymmetricDistinctUnits} distinct unit after training");
        }
        if (gradientRatio < t.VanishingGradientRatio || activationRatio < t.VanishingActivationRatio)
        {
            return (Verdict.VanishingGradients, FormattableString.Invariant(
                $"first/last gradient ratio {gradientRatio:G3}, last/first activation std ratio {activationRatio:G3} at init"));
        }
        if (evidence.FinalAccuracy < t.HealthyAccuracy)
        {
            return (Verdict.SlowConvergence, FormattableString.Invariant($"test accuracy {evidence.FinalAccuracy:P1} < {t.HealthyAccuracy:P0}"));
        }
        return (Verdict.Healthy, FormattableString.Invariant(
            $"gradient ratio {gradientRatio:G3}, activation std ratio {activationRatio:G3}, test accuracy {evidence.FinalAccuracy:P1}"));
    }

    /// <summary>The snake_case name used in reports ("no_training", …).</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The name.</returns>
    public static string Name(Verdict verdict) => verdict switch
    {
        Verdict.NoTraining => "no_training",
        Verdict.Symmetric => "symmetric",
        Verdict.VanishingGradients => "vanishing_gradients",
        Verdict.ExplodingGradients => "exploding_gradients",
        Verdict.Saturated => "saturated",
        Verdict.SlowConvergence => "slow_convergence",
        _ => "healthy",
    };
}
