using System.Globalization;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>One layer's measured values beside the mean-field prediction.</summary>
/// <param name="Measured">The measurement.</param>
/// <param name="Predicted">The prediction (null when the initializer has none).</param>
public sealed record DiagnosedLayer(LayerSnapshot Measured, LayerPrediction? Predicted);

/// <summary>One residual block's measured values beside the residual variance recursion's prediction.</summary>
/// <param name="Measured">The measurement.</param>
/// <param name="Predicted">The prediction (null when the model has none).</param>
public sealed record DiagnosedBlock(BlockSnapshot Measured, BlockPrediction? Predicted);

/// <summary>
/// A one-batch health check of a model at its current weights (normally its initialisation): the verdict, by the same
/// <see cref="VerdictClassifier"/> and <see cref="VerdictThresholds"/> as the practicals; per-layer signal and gradient
/// scale, measured and predicted; the evidence behind the verdict (<see cref="Warnings"/>, empty when healthy, layers
/// with the same finding grouped into one line); observations that do not change the verdict (<see cref="Notes"/>); and
/// what to change (<see cref="Advice"/>).
/// </summary>
/// <param name="Layers">Per layer.</param>
/// <param name="Loss">Batch loss.</param>
/// <param name="Verdict">The verdict at initialisation (<see cref="VerdictClassifier.ClassifyAtInit"/>).</param>
/// <param name="Reason">Why, with the numbers.</param>
/// <param name="Warnings">The findings behind a verdict other than healthy, in plain words; a non-finite statistic first.</param>
/// <param name="Notes">Observations that are not problems at this depth (a per-layer drift, dead units).</param>
/// <param name="Advice">What to change.</param>
public sealed record Diagnosis(
    IReadOnlyList<DiagnosedLayer> Layers,
    double Loss,
    Verdict Verdict,
    string Reason,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Notes,
    InitializerAdvice Advice)
{
    /// <summary>Per residual block, measured and predicted (empty for a model without blocks).</summary>
    public IReadOnlyList<DiagnosedBlock> Blocks { get; init; } = [];

    /// <summary>Per normalization layer, its output (empty for a model without BatchNormalization/LayerNormalization).</summary>
    public IReadOnlyList<OutputSnapshot> Normalizations { get; init; } = [];

    /// <summary>Where the mean-field prediction is an approximation or does not apply (empty for a plain Dense stack).</summary>
    public IReadOnlyList<string> PredictionCaveats { get; init; } = [];

    /// <summary>What a diagnosis can and cannot see, for the reader of its verdict.</summary>
    public const string Scope =
        "Judged at initialization only, on one batch: exploding, saturated and vanishing are measured; no_training and symmetric " +
        "are predicted from the weights; whether the net then reaches a good fit (slow_convergence) needs training it.";

    /// <summary>Measures <paramref name="model"/> on (x, y) and explains what it sees.</summary>
    /// <param name="model">A compiled model.</param>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets.</param>
    /// <param name="thresholds">Verdict thresholds (null: <see cref="VerdictThresholds.Default"/>, as the practicals use).</param>
    /// <returns>The diagnosis.</returns>
    public static Diagnosis Run(Sequential model, Tensor x, Tensor y, VerdictThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var t = thresholds ?? VerdictThresholds.Default;
        ModelSnapshot snapshot = Probe.Measure(model, x, y);
        double inputSquare = SampleStatistics.MeanSquare(x.Data);
        bool plain = model.IsPlainDenseStack;
        // A plain stack keeps its own recursion (same numbers as ever); anything else goes through the network walk.
        NetworkPrediction? network = plain ? null : NetworkPropagation.Predict(model, inputSquare);
        var predicted = plain ? SignalPropagation.Predict(model.DenseLayers, inputSquare) : network?.Dense;
        var layers = snapshot.Layers.Select((l, i) => new DiagnosedLayer(l, predicted?[i])).ToList();
        (Verdict verdict, string reason) = VerdictClassifier.ClassifyAtInit(model, snapshot, t);
        IReadOnlyList<string> warnings = verdict == Verdict.Healthy ? [] : Findings(model, snapshot, verdict, t);
        var notes = Observations(model, snapshot, predicted, verdict, t);
        InitializerAdvice advice = plain
            ? InitializerAdvisor.Advise(model, x, y, snapshot, verdict, t)
            : ResidualFindings.Advise(model, snapshot, verdict);
        var diagnosis = new Diagnosis(layers, snapshot.Loss, verdict, reason, warnings, notes, advice);
        if (plain)
        {
            return diagnosis;
        }
        var blocks = snapshot.Blocks.Select((b, i) => new DiagnosedBlock(b, network?.Blocks[i])).ToList();
        return diagnosis with
        {
            Blocks = blocks,
            Normalizations = snapshot.Normalizations,
            Notes = [.. ResidualFindings.Notes(blocks), .. notes],
            PredictionCaveats = network?.Caveats ?? [ResidualFindings.NoPrediction],
        };
    }

    /// <summary>The initializer to use for an activation: He for the ReLU family, LeCun normal for SELU, Glorot otherwise.</summary>
    /// <param name="activation">Activation name.</param>
    /// <returns>A registry name.</returns>
    public static string Recommend(string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return activation switch
        {
            "relu" or "elu" or "gelu" => "he_normal",
            _ when activation.StartsWith("leaky_relu", StringComparison.Ordinal) || activation.StartsWith("elu", StringComparison.Ordinal) => "he_normal",
            "selu" => "lecun_normal",
            _ => "glorot_uniform",
        };
    }

    // The evidence behind an unhealthy verdict, as threshold crossings of the classifier's own rules, the verdict's own
    // cause first. A non-finite statistic is all that is stated: every ratio computed from it is meaningless.
    private static List<string> Findings(Sequential model, ModelSnapshot snapshot, Verdict verdict, VerdictThresholds t)
    {
        string init = model.DenseLayers[0].KernelInitializer.Name;
        // The table's columns only; an activation std is only news where E[z²] itself was still finite.
        var all = NonFiniteStatistic.Find(snapshot);
        var nonFinite = all.Where(n => n.Statistic is "E[z²]" or "‖∇‖"
            || (n.Statistic == "activation std" && !all.Any(m => m.Statistic == "E[z²]" && m.LayerIndex == n.LayerIndex)));
        var lines = new List<string>(LayerRuns.Group(
            nonFinite.Select(n => new LayerFinding(n.LayerIndex, n.Layer, n.Statistic + " = " + NonFiniteStatistic.Symbol(n.Value), n.Value)),
            (kind, where, _, _) => $"{kind} in {where}: float32 overflowed (|value| > 3.4e38), so the {(kind.StartsWith('‖') ? "gradient" : "forward signal")} has exploded."));
        if (!double.IsFinite(snapshot.Loss))
        {
            lines.Add($"the loss is {NonFiniteStatistic.Symbol(snapshot.Loss)}: nothing can be learned from this start.");
        }
        if (lines.Count > 0)
        {
            return lines;
        }
        lines.AddRange(LayerRuns.Group(
            snapshot.Layers.Select((l, i) => new LayerFinding(i, l.Layer, "explodes", l.PreActivationStd)).Where(f => f.Value > t.ExplodingPreActivationStd),
            (_, where, low, high) => Invariant($"pre-activation std {Range(low, high, "G3")} in {where} (above {t.ExplodingPreActivationStd:G3}): the forward signal explodes.")));
        lines.AddRange(LayerRuns.Group(
            snapshot.Hidden.Select((l, i) => new LayerFinding(i, l.Layer, l.Activation, l.SaturatedFraction)).Where(f => f.Value > t.SaturatedFraction),
            (activation, where, low, high) => Invariant($"{Range(low, high, "P0")} of the {activation} activations in {where} are saturated (in the flat tails, where the slope is ~0): the weights are too large.")));
        double activationRatio = snapshot.ActivationStdRatio, gradientRatio = snapshot.GradientRatio;
        if (activationRatio < t.VanishingActivationRatio || activationRatio > t.ExplodingRatio)
        {
            string where = snapshot.Stream.Count >= 2
                ? Invariant($"the output std of {snapshot.Stream[^2].Layer} (the signal between the top-level layers) is {activationRatio:G3} times {snapshot.Stream[0].Layer}'s")
                : Invariant($"the activation std of the last hidden layer is {activationRatio:G3} times the first's");
            lines.Add(Invariant($"{where} (healthy between {t.VanishingActivationRatio:G3} and {t.ExplodingRatio:G3}): the forward signal {(activationRatio < 1 ? "fades" : "explodes")}."));
        }
        if (gradientRatio < t.VanishingGradientRatio)
        {
            lines.Add(Invariant($"the first layer's gradient is {gradientRatio:G3} of the last layer's (below {t.VanishingGradientRatio:G3}): it vanishes on the way back, so the early layers will barely learn."));
        }
        else if (gradientRatio > t.ExplodingRatio)
        {
            lines.Add(Invariant($"the first layer's gradient is {gradientRatio:G3} times the last layer's (above {t.ExplodingRatio:G3}): it explodes on the way back."));
        }
        if (verdict == Verdict.NoTraining)
        {
            lines.Insert(0, $"every hidden activation and every hidden gradient is exactly 0 ({init}): the hidden weights can never move.");
        }
        else if (verdict == Verdict.Symmetric)
        {
            lines.Insert(0, $"every unit of each hidden layer has the same weights ({init}): they get the same gradient forever, so each layer acts as one neuron.");
        }
        return lines;
    }

    private static List<string> Observations(Sequential model, ModelSnapshot snapshot, IReadOnlyList<LayerPrediction>? predicted, Verdict verdict, VerdictThresholds t)
    {
        var notes = new List<string>();
        // The per-layer drift extrapolates a plain stack layer by layer; a residual model's drift is per block (ResidualFindings.Notes).
        if (verdict == Verdict.Healthy && model.IsPlainDenseStack && Drift(model, snapshot, predicted, t) is string drift)
        {
            notes.Add(drift);
        }
        if (verdict != Verdict.NoTraining)
        {
            notes.AddRange(LayerRuns.Group(
                snapshot.Hidden.Select((l, i) => new LayerFinding(i, l.Layer, "dead", l.DeadFraction)).Where(f => f.Value > 0.5),
                (_, where, low, high) => Invariant($"{Range(low, high, "P0")} of the units in {where} output 0 for every row of the batch (dead ReLUs); they get no gradient.")));
        }
        return notes;
    }

    // A healthy net whose signal still drifts per layer: say by how much, and from which depth the same stack would cross
    // the classifier's threshold. The mean-field prediction is used when there is one (it has no sampling noise).
    private static string? Drift(Sequential model, ModelSnapshot snapshot, IReadOnlyList<LayerPrediction>? predicted, VerdictThresholds t)
    {
        var hidden = model.DenseLayers.Take(model.DenseLayers.Count - 1).ToList();
        int depth = hidden.Count;
        if (depth < 3)
        {
            return null;
        }
        double varianceFactor, ratio;
        if (predicted is not null && predicted[1].PreActivationMeanSquare > 0 && predicted[0].ActivationStd > 0)
        {
            varianceFactor = Math.Pow(predicted[depth - 1].PreActivationMeanSquare / predicted[1].PreActivationMeanSquare, 1.0 / (depth - 2));
            ratio = predicted[depth - 1].ActivationStd / predicted[0].ActivationStd;
        }
        else
        {
            ratio = snapshot.ActivationStdRatio;
            varianceFactor = Math.Pow(ratio, 2.0 / (depth - 1));
        }
        if (!double.IsFinite(varianceFactor) || !double.IsFinite(ratio) || ratio <= 0 || Math.Abs(Math.Log(varianceFactor)) < Math.Log(1.1))
        {
            return null;
        }
        bool shrinks = ratio < 1;
        double limit = shrinks ? t.VanishingActivationRatio : t.ExplodingRatio;
        string crossing = CrossingDepth(hidden, predicted, ratio, limit) is int d
            ? Invariant($"the same stack with {d} or more hidden layers would {(shrinks ? "vanish" : "explode")}")
            : Invariant($"the same stack would stay {(shrinks ? "above" : "below")} it up to {MaxExtrapolatedDepth} hidden layers");
        string activation = hidden[0].Activation.Name, init = hidden[0].KernelInitializer.Name;
        string candidate = Recommend(activation);
        string other = string.Empty;
        if (candidate != init)
        {
            double now = InitializerAdvisor.WeightScale(hidden[^1], hidden[^1].KernelInitializer);
            double then = InitializerAdvisor.WeightScale(hidden[^1], InitializerRegistry.Resolve(candidate));
            if (Math.Abs(then / now - 1) > InitializerAdvisor.SameScaleTolerance)
            {
                other = Invariant($" {candidate}, the standard scale for {activation}, would change the weight variance ×{then / now:G3}.");
            }
        }
        return Invariant(
            $"with {init} and {activation} the signal's variance changes ×{varianceFactor:G3} per layer, so the activation std ratio over these {depth} hidden layers is {ratio:G3}: still {(shrinks ? "above" : "below")} the {(shrinks ? "vanishing" : "exploding")} threshold {limit:G3}, healthy at this depth; {crossing}.{other}");
    }

    /// <summary>Deepest stack the drift note extrapolates to.</summary>
    private const int MaxExtrapolatedDepth = 1000;

    // The depth at which the activation std ratio crosses the limit when more copies of the last hidden layer are stacked:
    // by the mean-field recursion when there is a prediction (tanh's decay is not geometric: q_l ~ 1/(2l) at σ_w² = 1),
    // else by extrapolating the measured per-layer factor geometrically. Null when it does not cross within MaxExtrapolatedDepth.
    private static int? CrossingDepth(List<Dense> hidden, IReadOnlyList<LayerPrediction>? predicted, double ratio, double limit)
    {
        int depth = hidden.Count;
        bool shrinks = ratio < 1;
        Dense last = hidden[^1];
        if (predicted is not null
            && SignalPropagation.WeightMoments(last.KernelInitializer, last.KernelFans) is (double weightMean, double weightVariance)
            && (last.UseBias ? SignalPropagation.WeightMoments(last.BiasInitializer, Fans.ForBias(last.Units, last.InputDim)) : (0.0, 0.0)) is (double biasMean, double biasVariance))
        {
            double sigmaW2 = last.InputDim * (weightMean * weightMean + weightVariance), sigmaB2 = biasVariance + biasMean * biasMean;
            var activation = last.Activation;
            double q = predicted[depth - 1].PreActivationMeanSquare, firstStd = predicted[0].ActivationStd;
            for (int l = depth + 1; l <= MaxExtrapolatedDepth; l++)
            {
                q = sigmaW2 * SignalPropagation.Expectation(h => activation.Apply(h) * activation.Apply(h), q) + sigmaB2;
                double mean = SignalPropagation.Expectation(activation.Apply, q);
                double std = Math.Sqrt(Math.Max(0, SignalPropagation.Expectation(h => activation.Apply(h) * activation.Apply(h), q) - mean * mean));
                double r = std / firstStd;
                if (shrinks ? r < limit : r > limit)
                {
                    return l;
                }
            }
            return null;
        }
        double perLayer = Math.Pow(ratio, 1.0 / (depth - 1));
        int crossing = (int)Math.Floor(Math.Log(limit) / Math.Log(perLayer)) + 2;
        return crossing <= MaxExtrapolatedDepth ? crossing : null;
    }

    private static string Range(double low, double high, string format) =>
        low.ToString(format, CultureInfo.InvariantCulture) == high.ToString(format, CultureInfo.InvariantCulture)
            ? high.ToString(format, CultureInfo.InvariantCulture)
            : $"{low.ToString(format, CultureInfo.InvariantCulture)}–{high.ToString(format, CultureInfo.InvariantCulture)}";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
