using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Layers;

namespace InitLab.Diagnostics;

/// <summary>The mean-field prediction for one layer (infinite width).</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="PreActivationMeanSquare">q_l = σ_w²·E[φ(h)²] + σ_b², h ~ N(0, q_{l−1}).</param>
/// <param name="ActivationStd">√(E[φ(h)²] − E[φ(h)]²) with h ~ N(0, q_l) (NaN for a row-wise output such as softmax).</param>
/// <param name="GradientFactor">χ_l = σ_w²·E[φ′(h)²] with h ~ N(0, q_{l−1}): the factor by which the backward signal's
/// mean square changes through this layer (&lt; 1 vanishing, &gt; 1 exploding).</param>
public sealed record LayerPrediction(string Layer, double PreActivationMeanSquare, double ActivationStd, double GradientFactor);

/// <summary>
/// Signal propagation at initialisation by the variance recursion of mean-field theory (Poole et al. 2016;
/// Schoenholz et al. 2017): q₁ = σ_w²·E[x²] + σ_b², q_l = σ_w²·E[φ(h)²] + σ_b² with h ~ N(0, q_{l−1}), where
/// σ_w² = fan_in·Var(w) and σ_b² = E[b²]. Gaussian expectations are computed by composite Simpson integration over
/// ±12 standard deviations (4001 nodes). Valid for zero-mean i.i.d. weights; other initializers get no prediction.
/// </summary>
public static class SignalPropagation
{
    /// <summary>Predicts every layer of a built model, or null when an initializer has non-zero-mean or non-random weights.</summary>
    /// <param name="layers">Built layers.</param>
    /// <param name="inputMeanSquare">E[x²] over the input features (1 for standardised data).</param>
    /// <returns>Per-layer predictions, or null.</returns>
    public static IReadOnlyList<LayerPrediction>? Predict(IReadOnlyList<Dense> layers, double inputMeanSquare)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var result = new List<LayerPrediction>();
        double previous = double.NaN;
        Activation? previousActivation = null;
        for (int index = 0; index < layers.Count; index++)
        {
            Dense layer = layers[index];
            // A row-wise output (softmax) can be predicted up to its pre-activation; nothing may follow it.
            bool rowWise = !layer.Activation.IsElementwise;
            if (rowWise && index != layers.Count - 1)
            {
                return null;
            }
            var weight = WeightMoments(layer.KernelInitializer, layer.KernelFans);
            var bias = layer.UseBias ? WeightMoments(layer.BiasInitializer, Fans.ForBias(layer.Units, layer.InputDim)) : (0, 0);
            if (weight is not (0.0, double weightVariance) || bias is not (double biasMean, double biasVariance))
            {
                return null;
            }
            double sigmaW2 = layer.InputDim * weightVariance;
            double sigmaB2 = biasVariance + biasMean * biasMean;
            double inputSquare = previousActivation is null ? inputMeanSquare : Expectation(h => Square(previousActivation.Apply(h)), previous);
            double chi = previousActivation is null ? sigmaW2 : sigmaW2 * Expectation(h => Square(previousActivation.Derivative(h)), previous);
            double q = sigmaW2 * inputSquare + sigmaB2;
            Activation activation = layer.Activation;
            if (rowWise)
            {
                result.Add(new LayerPrediction(layer.Name, q, double.NaN, chi));
                break;
            }
            double mean = Expectation(activation.Apply, q);
            double meanSquare = Expectation(h => Square(activation.Apply(h)), q);
            result.Add(new LayerPrediction(layer.Name, q, Math.Sqrt(Math.Max(0, meanSquare - mean * mean)), chi));
            previous = q;
            previousActivation = activation;
        }
        return result;
    }

    /// <summary>E[f(h)] for h ~ N(0, q) (q = 0 gives f(0)). Composite 3-point Gauss–Legendre on [−12σ, 0] and
    /// [0, 12σ] separately, 1000 panels each: the nodes never touch 0, where ReLU-like functions and their slopes jump,
    /// so step functions integrate to ~1e-12.</summary>
    /// <param name="f">The function.</param>
    /// <param name="q">The variance.</param>
    /// <returns>The expectation.</returns>
    public static double Expectation(Func<double, double> f, double q)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (!(q > 0))
        {
            return f(0);
        }
        const int panels = 1000;
        const double range = 12;
        double std = Math.Sqrt(q), width = range / panels, half = width / 2, sum = 0;
        double offset = half * Math.Sqrt(0.6);
        for (int side = -1; side <= 1; side += 2)
        {
            for (int p = 0; p < panels; p++)
            {
                double centre = side * (p + 0.5) * width;
                sum += half * (5.0 / 9 * Term(f, centre - offset, std) + 8.0 / 9 * Term(f, centre, std) + 5.0 / 9 * Term(f, centre + offset, std));
            }
        }
        return sum / Math.Sqrt(2 * Math.PI);
    }

    private static double Term(Func<double, double> f, double u, double std) => f(std * u) * Math.Exp(-0.5 * u * u);

    /// <summary>Exact (mean, variance) of one entry drawn by <paramref name="initializer"/> for these fans, or null
    /// when it is not an i.i.d. random initializer (orthogonal is treated as i.i.d. with its exact mean square).</summary>
    /// <param name="initializer">The initializer.</param>
    /// <param name="fans">The fans.</param>
    /// <returns>(mean, variance) or null.</returns>
    public static (double Mean, double Variance)? WeightMoments(IInitializer initializer, Fans fans) => initializer switch
    {
        Constant c => (c.Value, 0),
        VarianceScaling v => (0, v.Variance(fans)),
        Kaiming k => (0, k.Core.Variance(fans)),
        RandomUniform u => ((u.Min + u.Max) / 2, (u.Max - u.Min) * (u.Max - u.Min) / 12),
        RandomNormal n => (n.Mean, n.StdDev * n.StdDev),
        TruncatedNormal t => (t.Mean, Truncation.VarianceFactor * t.StdDev * t.StdDev),
        TorchLinearDefault => (0, Math.Pow(TorchLinearDefault.Bound(fans), 2) / 3),
        SklearnMlp s => (0, Math.Pow(s.Bound(fans), 2) / 3),
        Orthogonal o => (0, o.GainValue * o.GainValue / Math.Max(fans.In, fans.Out)),
        _ => null,
    };

    private static double Square(double x) => x * x;
}
