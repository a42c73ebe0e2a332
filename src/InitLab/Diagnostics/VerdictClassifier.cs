using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>
/// Maps evidence to a <see cref="Verdict"/> with one set of <see cref="VerdictThresholds"/>; the rules are tried in the
/// order of the enum and the first that fires wins. <c>practicals</c> classifies after training
/// (<see cref="Classify"/>); <c>diagnose</c> classifies at initialisation only (<see cref="ClassifyAtInit"/>), with the
/// same rules for what is visible at initialisation (exploding, saturated, vanishing) and predictions for the rest:
/// <list type="bullet">
/// <item>no_training: every hidden activation and every hidden gradient is exactly 0 on the probe batch. Then the
/// output kernel's gradient (hidden activations × output error) is 0 too, so nothing can ever change that.</item>
/// <item>symmetric: every hidden layer's units have identical incoming weights and biases, and the next layer weights
/// them identically. Identical units then get identical gradients forever.</item>
/// <item>slow_convergence is a training outcome; at initialisation it reads as healthy
/// (<see cref="AtInitCounterpart"/>).</item>
/// </list>
/// </summary>
public static class VerdictClassifier
{
    /// <summary>Classifies a trained run.</summary>
    /// <param name="evidence">The evidence.</param>
    /// <param name="thresholds">Thresholds (null: defaults).</param>
    /// <returns>The verdict and a one-line reason with the numbers.</returns>
    public static (Verdict Verdict, string Reason) Classify(VerdictEvidence evidence, VerdictThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var t = thresholds ?? VerdictThresholds.Default;
        ModelSnapshot init = evidence.AtInit;
        if (Exploding(init, t, evidence.Diverged) is string exploding)
        {
            return (Verdict.ExplodingGradients, exploding);
        }
        if (Saturated(init, t) is string saturated)
        {
            return (Verdict.Saturated, saturated);
        }
        if (evidence.HiddenWeightsUnchanged)
        {
            return (Verdict.NoTraining, "hidden weights bit-identical after training (zero activations and gradients)");
        }
        if (evidence.DistinctHiddenUnits.Count > 0 && evidence.DistinctHiddenUnits.All(d => d <= t.SymmetricDistinctUnits))
        {
            return (Verdict.Symmetric, $"every hidden layer has {t.SymmetricDistinctUnits} distinct unit after training");
        }
        if (Vanishing(init, t) is string vanishing)
        {
            return (Verdict.VanishingGradients, vanishing);
        }
        if (evidence.FinalAccuracy < t.HealthyAccuracy)
        {
            return (Verdict.SlowConvergence, FormattableString.Invariant($"test accuracy {evidence.FinalAccuracy:P1} < {t.HealthyAccuracy:P0}"));
        }
        return (Verdict.Healthy, FormattableString.Invariant(
            $"gradient ratio {init.GradientRatio:G3}, activation std ratio {init.ActivationStdRatio:G3}, test accuracy {evidence.FinalAccuracy:P1}"));
    }

    /// <summary>Classifies a model at initialisation from its weights and one probe pass (see the type's remarks for
    /// what is predicted rather than observed). Never returns <see cref="Verdict.SlowConvergence"/>.</summary>
    /// <param name="model">The model, at the weights <paramref name="atInit"/> was measured with.</param>
    /// <param name="atInit">The probe snapshot (<see cref="Probe.Measure"/>).</param>
    /// <param name="thresholds">Thresholds (null: defaults).</param>
    /// <returns>The verdict and a one-line reason with the numbers.</returns>
    public static (Verdict Verdict, string Reason) ClassifyAtInit(Sequential model, ModelSnapshot atInit, VerdictThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(atInit);
        var t = thresholds ?? VerdictThresholds.Default;
        if (Exploding(atInit, t, diverged: false) is string exploding)
        {
            return (Verdict.ExplodingGradients, exploding);
        }
        if (Saturated(atInit, t) is string saturated)
        {
            return (Verdict.Saturated, saturated);
        }
        if (atInit.Hidden.All(l => l.ActivationMean == 0 && l.ActivationStd == 0 && l.GradientNorm == 0))
        {
            return (Verdict.NoTraining, "every hidden activation and hidden gradient is exactly 0 at init, so no gradient can ever reach the hidden weights");
        }
        if (HiddenUnitsSymmetric(model))
        {
            return (Verdict.Symmetric, "every hidden layer's units have identical weights at init (and identical outgoing weights), so they get identical gradients forever");
        }
        if (Vanishing(atInit, t) is string vanishing)
        {
            return (Verdict.VanishingGradients, vanishing);
        }
        return (Verdict.Healthy, FormattableString.Invariant(
            $"gradient ratio {atInit.GradientRatio:G3}, activation std ratio {atInit.ActivationStdRatio:G3} at init"));
    }

    /// <summary>The verdict <see cref="ClassifyAtInit"/> gives for a network whose trained verdict is
    /// <paramref name="trained"/>: the same, except slow_convergence, which only training reveals (healthy at init).</summary>
    /// <param name="trained">The verdict after training.</param>
    /// <returns>The verdict at initialisation that agrees with it.</returns>
    public static Verdict AtInitCounterpart(Verdict trained) => trained == Verdict.SlowConvergence ? Verdict.Healthy : trained;

    /// <summary>Whether every hidden layer (wider than one unit) starts symmetric in a way training cannot break: all its
    /// units have the same incoming weights and bias, and the next layer's kernel rows for them are identical.</summary>
    /// <param name="model">The model.</param>
    /// <returns>True when symmetry can never be broken.</returns>
    public static bool HiddenUnitsSymmetric(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = model.DenseLayers;
        bool any = false;
        for (int i = 0; i < layers.Count - 1; i++)
        {
            Dense layer = layers[i];
            if (layer.Units < 2)
            {
                continue;
            }
            any = true;
            if (!WeightStatistics.AllUnitsIdentical(layer) || !WeightStatistics.AllInputRowsIdentical(layers[i + 1]))
            {
                return false;
            }
        }
        return any;
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

    // A non-finite statistic comes first: it means float32 overflowed, and the ratios computed from it (∞/∞, NaN) would
    // otherwise compare false against every threshold and let an exploded net pass as healthy.
    private static string? Exploding(ModelSnapshot init, VerdictThresholds t, bool diverged)
    {
        if (NonFiniteStatistic.Find(init) is [var first, ..] nonFinite)
        {
            return FormattableString.Invariant(
                $"{first.Statistic} = {NonFiniteStatistic.Symbol(first.Value)} in {first.Layer} at init (float32 overflow; {nonFinite.Count} non-finite statistics in all)");
        }
        double gradientRatio = init.GradientRatio, activationRatio = init.ActivationStdRatio;
        double maxPreStd = init.Layers.Max(l => l.PreActivationStd);
        if (diverged || gradientRatio > t.ExplodingRatio || activationRatio > t.ExplodingRatio || maxPreStd > t.ExplodingPreActivationStd)
        {
            return FormattableString.Invariant(
                $"{(diverged ? "loss diverged; " : string.Empty)}pre-activation std up to {maxPreStd:G3}, activation std ratio {activationRatio:G3}, gradient ratio {gradientRatio:G3}");
        }
        return null;
    }

    // Saturation comes before "no training": saturated units have a float32 slope of exactly 0, so their weights may not
    // move at all, and the cause to report is the saturation.
    private static string? Saturated(ModelSnapshot init, VerdictThresholds t)
    {
        double saturated = init.Hidden.Max(l => l.SaturatedFraction);
        return saturated > t.SaturatedFraction
            ? FormattableString.Invariant($"{saturated:P0} of a hidden layer's activations saturated at init")
            : null;
    }

    private static string? Vanishing(ModelSnapshot init, VerdictThresholds t)
    {
        double gradientRatio = init.GradientRatio, activationRatio = init.ActivationStdRatio;
        return gradientRatio < t.VanishingGradientRatio || activationRatio < t.VanishingActivationRatio
            ? FormattableString.Invariant($"first/last gradient ratio {gradientRatio:G3}, last/first activation std ratio {activationRatio:G3} at init")
            : null;
    }
}
