using System.Globalization;
using InitLab.Initializers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>One layer's measured values beside the mean-field prediction.</summary>
/// <param name="Measured">The measurement.</param>
/// <param name="Predicted">The prediction (null when the initializer has none).</param>
public sealed record DiagnosedLayer(LayerSnapshot Measured, LayerPrediction? Predicted);

/// <summary>
/// A one-batch health check of a model at its current weights: per-layer signal and gradient scale, measured and
/// predicted, plain-words warnings, and the initializer recommended for the activation.
/// </summary>
/// <param name="Layers">Per layer.</param>
/// <param name="Loss">Batch loss.</param>
/// <param name="Warnings">What looks wrong, in plain words.</param>
/// <param name="RecommendedInitializer">The registry name to use for this activation.</param>
public sealed record Diagnosis(IReadOnlyList<DiagnosedLayer> Layers, double Loss, IReadOnlyList<string> Warnings, string RecommendedInitializer)
{
    /// <summary>Measures <paramref name="model"/> on (x, y) and explains what it sees.</summary>
    /// <param name="model">A compiled model.</param>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets.</param>
    /// <returns>The diagnosis.</returns>
    public static Diagnosis Run(Sequential model, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        ModelSnapshot snapshot = Probe.Measure(model, x, y);
        double inputSquare = x.Data.Average(v => (double)v * v);
        var predicted = SignalPropagation.Predict(model.Layers, inputSquare);
        var layers = snapshot.Layers.Select((l, i) => new DiagnosedLayer(l, predicted?[i])).ToList();
        var hidden = model.Layers.Take(Math.Max(1, model.Layers.Count - 1)).ToList();
        string activation = hidden[0].Activation.Name;
        string init = hidden[0].KernelInitializer.Name;
        string recommended = Recommend(activation);
        var warnings = new List<string>();
        int depth = hidden.Count;
        double ratio = snapshot.ActivationStdRatio;
        var t = VerdictThresholds.Default;
        string where = string.Create(CultureInfo.InvariantCulture, $"{Describe(activation)} at depth {depth} with {init}");
        // The per-layer factor is taken from the second hidden layer on: the first is set by the data's scale, not by the recursion.
        if (predicted is not null && depth > 2 && predicted[1].PreActivationMeanSquare > 0)
        {
            double perLayer = Math.Pow(predicted[depth - 1].PreActivationMeanSquare / predicted[1].PreActivationMeanSquare, 1.0 / (depth - 2));
            if (perLayer < 0.9 || perLayer > 1.1)
            {
                string change = perLayer < 1 ? "shrinks" : "grows";
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: the forward signal's variance {change} by a factor {perLayer:G3} per layer — {Math.Pow(perLayer, depth):G3} after {depth} layers (measured activation std ratio last/first {ratio:G3}).{Advice(init, recommended)}"));
            }
        }
        else if (ratio < t.VanishingActivationRatio || ratio > t.ExplodingRatio)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{where}: the activation std changes by {ratio:G3} from the first to the last hidden layer.{Advice(init, recommended)}"));
        }
        if (snapshot.GradientRatio < t.VanishingGradientRatio)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The first layer's gradient is {snapshot.GradientRatio:G3} of the last layer's: it vanishes on the way back, so the early layers will barely learn.{Advice(init, recommended)}"));
        }
        else if (snapshot.GradientRatio > t.ExplodingRatio)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The first layer's gradient is {snapshot.GradientRatio:G3} times the last layer's: it explodes on the way back.{Advice(init, recommended)}"));
        }
        foreach (var layer in snapshot.Hidden)
        {
            if (layer.SaturatedFraction > t.SaturatedFraction)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Layer '{layer.Layer}': {layer.SaturatedFraction:P0} of its {layer.Activation} units are saturated, where the slope is ~0; the weights are too large.{Advice(init, recommended)}"));
            }
            if (layer.DeadFraction > 0.5)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Layer '{layer.Layer}': {layer.DeadFraction:P0} of its units output 0 for every row of the batch (dead ReLUs); they get no gradient."));
            }
        }
        if (hidden.Any(l => l.Units > 1 && WeightStatistics.DistinctUnits(l) == 1))
        {
            warnings.Add($"Every unit of a hidden layer has the same weights ({init}): they will get the same gradient forever, so the layer acts as one neuron. Use a random initializer such as {recommended}.");
        }
        return new Diagnosis(layers, snapshot.Loss, warnings, recommended);
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

    private static string Describe(string activation) => activation switch
    {
        "relu" => "ReLU",
        "tanh" => "tanh",
        "sigmoid" => "sigmoid",
        _ => activation,
    };

    private static string Advice(string init, string recommended) =>
        init == recommended ? string.Empty : $" Use {recommended}.";
}
