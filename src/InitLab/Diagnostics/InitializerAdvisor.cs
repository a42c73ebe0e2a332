using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>
/// Decides what to change when a network is unhealthy at initialisation. The standard initializer for the activation
/// (<see cref="Diagnosis.Recommend"/>) is advised only when (1) its weight scale differs from the one in use — compared as
/// σ_w² = fan_in·E[w²] per hidden layer, exact from the initializer's formula where it has one, measured otherwise —
/// and (2) the same network with it is healthy at initialisation on the same batch (checked by building it and running
/// the probe), or the problem is a constant start (symmetric, no_training), which only random weights fix. Otherwise the advice says why no initializer or gain helps and what does: fewer layers (how many), or
/// normalization, or another activation.
/// </summary>
internal static class InitializerAdvisor
{
    /// <summary>Relative difference under which two weight scales count as the same (glorot_normal vs glorot_uniform: 0).</summary>
    internal const double SameScaleTolerance = 0.05;

    public static InitializerAdvice Advise(Sequential model, Tensor x, Tensor y, ModelSnapshot snapshot, Verdict verdict, VerdictThresholds t)
    {
        IReadOnlyList<Dense> hidden = Hidden(model);
        IInitializer current = hidden[0].KernelInitializer;
        string activation = hidden[0].Activation.Name;
        if (verdict == Verdict.Healthy)
        {
            return new InitializerAdvice(null, $"keep {current.Name}: nothing to change at initialization.");
        }
        string name = Diagnosis.Recommend(activation);
        IInitializer candidate = InitializerRegistry.Resolve(name);
        double[] currentScale = [.. hidden.Select(l => WeightScale(l, l.KernelInitializer))];
        double[] candidateScale = [.. hidden.Select(l => WeightScale(l, candidate))];
        double mean = hidden.Max(l => Math.Abs(WeightMean(l, l.KernelInitializer)) * Math.Sqrt(l.InputDim));
        bool sameScale = current.Name == name || (mean < 0.05 && currentScale.Zip(candidateScale).All(p => Math.Abs(p.First / p.Second - 1) <= SameScaleTolerance));
        string depthAdvice = DepthAdvice(snapshot, activation, t);
        if (sameScale)
        {
            return new InitializerAdvice(null, FormattableString.Invariant(
                $"{current.Name} already gives {activation} the standard weight scale (σ_w² = fan_in·Var(w) = {SampleStatistics.Median(currentScale):G3}, as {name}), so another initializer or gain will not fix this: {depthAdvice}"));
        }
        Sequential alternative = WithInitializer(model, current.Name, candidate);
        ModelSnapshot alternativeSnapshot = Probe.Measure(alternative, x, y);
        (Verdict alternativeVerdict, string reason) = VerdictClassifier.ClassifyAtInit(alternative, alternativeSnapshot, t);
        bool symmetryProblem = verdict is Verdict.Symmetric or Verdict.NoTraining;
        if (alternativeVerdict != Verdict.Healthy && !symmetryProblem)
        {
            return new InitializerAdvice(null, FormattableString.Invariant(
                $"no initializer fixes this: {name} (the standard for {activation}) would be {VerdictClassifier.Name(alternativeVerdict)} too ({reason}); {depthAdvice}"));
        }
        double from = SampleStatistics.Median(currentScale), to = SampleStatistics.Median(candidateScale), factor = to / from;
        // A factor is a change of variance only between zero-mean weights; from a constant or shifted start the second
        // moment is all there is to compare.
        string scale = mean < 0.05 && double.IsFinite(factor) && factor > 0
            ? FormattableString.Invariant($"σ_w² = fan_in·E[w²] goes from {from:G3} to {to:G3}: the weight variance ×{factor:G3}, its std ×{Math.Sqrt(factor):G3}")
            : FormattableString.Invariant($"σ_w² = fan_in·E[w²] goes from {from:G3} to {to:G3}");
        string why = verdict switch
        {
            Verdict.Symmetric or Verdict.NoTraining => "random zero-mean weights give every unit its own signal and gradient; ",
            _ when mean >= 0.05 => FormattableString.Invariant($"zero-mean weights (yours have mean {WeightMean(hidden[0], current):G3}); "),
            _ => string.Empty,
        };
        // A constant start must become random whatever else is wrong, so it is advised even when the random net still has
        // a depth problem, which is then named with its own fix.
        string check = alternativeVerdict == Verdict.Healthy
            ? "checked: healthy at initialization on this batch"
            : $"checked on this batch: it is then {VerdictClassifier.Name(alternativeVerdict)} ({reason}); {DepthAdvice(alternativeSnapshot, activation, t)}";
        // An initializer with a gain can reach the same scale by itself: the gain multiplies the std.
        string gain = mean < 0.05 && double.IsFinite(factor) && factor > 0 && TakesGain(current.Name)
            ? FormattableString.Invariant($" Or keep {current.Name} with gain={Math.Sqrt(factor):G3} (std ×{Math.Sqrt(factor):G3}).")
            : string.Empty;
        return new InitializerAdvice(name, $"use {name}: {why}{scale} ({check.TrimEnd('.')}).{gain}");
    }

    /// <summary>σ_w² = fan_in·E[w²] of a layer's kernel under <paramref name="initializer"/>: exact from its formula when it
    /// draws i.i.d. entries, else measured on the layer's current weights.</summary>
    internal static double WeightScale(Dense layer, IInitializer initializer)
    {
        if (SignalPropagation.WeightMoments(initializer, layer.KernelFans) is (double mean, double variance))
        {
            return layer.InputDim * (mean * mean + variance);
        }
        return layer.InputDim * SampleStatistics.MeanSquare(layer.Kernel);
    }

    private static double WeightMean(Dense layer, IInitializer initializer)
    {
        if (SignalPropagation.WeightMoments(initializer, layer.KernelFans) is (double mean, _))
        {
            return mean;
        }
        return SampleStatistics.Mean(layer.Kernel);
    }

    // How deep the net may be: the gradient (or activation std) ratio falls geometrically with depth, so the measured
    // per-layer factor gives the depth at which it crosses the threshold.
    private static string DepthAdvice(ModelSnapshot snapshot, string activation, VerdictThresholds t)
    {
        int steps = snapshot.Layers.Count - 1, hiddenSteps = snapshot.Layers.Count - 2;
        string slope = activation == "sigmoid" ? "the sigmoid's slope is at most 1/4, so " : string.Empty;
        string others = activation == "sigmoid" ? ", switch to tanh with glorot_uniform or ReLU with he_normal" : string.Empty;
        double ratio = snapshot.GradientRatio;
        if (steps >= 1 && ratio > 0 && ratio < t.VanishingGradientRatio)
        {
            double perLayer = Math.Pow(ratio, 1.0 / steps);
            int depth = Math.Max(1, (int)Math.Floor(Math.Log(t.VanishingGradientRatio) / Math.Log(perLayer)));
            return FormattableString.Invariant(
                $"{slope}the gradient shrinks ×{perLayer:G2} per layer here; use at most {depth} hidden layers (first/last gradient ratio ≥ {t.VanishingGradientRatio:G1}){others}, or put normalization (BatchNorm/LayerNorm) between the layers.");
        }
        double activationRatio = snapshot.ActivationStdRatio;
        if (hiddenSteps >= 1 && activationRatio > 0 && activationRatio < t.VanishingActivationRatio)
        {
            double perLayer = Math.Pow(activationRatio, 1.0 / hiddenSteps);
            int depth = 1 + Math.Max(0, (int)Math.Floor(Math.Log(t.VanishingActivationRatio) / Math.Log(perLayer)));
            return FormattableString.Invariant(
                $"the activation std shrinks ×{perLayer:G2} per layer here; use at most {depth} hidden layers (last/first std ratio ≥ {t.VanishingActivationRatio:G1}){others}, or put normalization (BatchNorm/LayerNorm) between the layers.");
        }
        return $"use fewer layers{others}, or put normalization (BatchNorm/LayerNorm) between the layers.";
    }

    private static Sequential WithInitializer(Sequential model, string current, IInitializer candidate)
    {
        var layers = model.DenseLayers.Select(l => new Dense(l.Units, l.Activation, l.KernelInitializer.Name == current ? candidate : l.KernelInitializer,
            l.BiasInitializer, l.UseBias));
        var alternative = new Sequential(model.InputDim, layers, model.Seed) { Threads = model.Threads };
        alternative.Compile(model.Loss ?? throw new InvalidOperationException("Diagnosis: compile the model first."), new Sgd());
        return alternative;
    }

    private static bool TakesGain(string name)
    {
        try
        {
            return InitializerRegistry.Find(name).ParameterNames.Contains("gain");
        }
        catch (ArgumentException)
        {
            return false; // not a registry name (a custom initializer)
        }
    }

    private static IReadOnlyList<Dense> Hidden(Sequential model) => [.. model.DenseLayers.Take(Math.Max(1, model.DenseLayers.Count - 1))];
}
