using System.Globalization;
using InitLab.Activations;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Theory;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>
/// Mean-field signal propagation through any stack of <see cref="Dense"/>, <see cref="ActivationLayer"/>,
/// <see cref="ScalarBias"/>, <see cref="BatchNormalization"/>, <see cref="LayerNormalization"/> and <see cref="Residual"/>
/// layers: <see cref="SignalPropagation"/>'s per-layer recursion (the same maps, the same quadrature) along the branch,
/// and at each block the residual recursion of <see cref="ResidualVariance"/>, q_y = q_s + α²·q_F (identity shortcut:
/// q_{l+1} = q_l·(1 + α²·q_F/q_l), so q_L = q_0·∏(1 + α²·q_F/q_l)).
/// </summary>
/// <remarks>
/// The signal is carried as φ(h) with h ~ N(0, q), φ the composition of what has been applied since the last Dense, so
/// an activation, a scalar bias or a Dense after it is exact in the mean-field sense. Where the picture is only
/// approximate the prediction says so in <see cref="NetworkPrediction.Caveats"/>:
/// <list type="bullet">
/// <item>A normalization layer (BatchNormalization with batch statistics, as training and probes use, or
/// LayerNormalization per row) sets the mean square to mean(γ²)·v/(v + ε) + mean(β²), whatever came before; this is where
/// the residual product ∏(1 + α²·q_F/q_l) stops being a product of constant factors: a branch ending in BN contributes
/// α²·γ² per block, so q grows linearly with depth. Its shape afterwards is assumed Gaussian, and no gradient factor is
/// predicted across it (its Jacobian couples the units).</item>
/// <item>After a block with α ≠ 0 the stream x + α·F is treated as Gaussian with its mean square; exact for what a Dense
/// does next, approximate for an activation or normalization applied to the stream directly (pre-activation blocks).</item>
/// <item>Kernels whose initializer has no known moments, or whose drawn weights were rescaled afterwards (more than ×2 off
/// the initializer's second moment), are taken at their measured fan_in·E[w²].</item>
/// </list>
/// Running statistics (a trained model in inference mode) are not what a probe uses, and trained weights are not
/// i.i.d.; the prediction is for the initialisation.
/// </remarks>
public static class NetworkPropagation
{
    /// <summary>A measured kernel second moment this far (either way) from its initializer's is taken as rescaled after drawing.</summary>
    internal const double RescaledFactor = 2;

    /// <summary>Predicts every Dense layer and every block of a built model, or null when a weight has a non-zero mean, or a
    /// row-wise activation (softmax) is not the model's last.</summary>
    /// <param name="model">A built model.</param>
    /// <param name="inputMeanSquare">E[x²] over the input features.</param>
    /// <returns>The prediction, or null.</returns>
    public static NetworkPrediction? Predict(Sequential model, double inputMeanSquare)
    {
        ArgumentNullException.ThrowIfNull(model);
        var walk = new Walk(model.Layers[^1]);
        var signal = new Signal(inputMeanSquare, null, null, SlopeKnown: true, Gaussianized: true);
        return walk.Run(model.Layers, ref signal) ? new NetworkPrediction(walk.DensePredictions, walk.Blocks, walk.Caveats) : null;
    }

    // φ(h), h ~ N(0, Q): Apply null is the identity, Slope null a slope of 1.
    private sealed record Signal(double Q, Func<double, double>? Apply, Func<double, double>? Slope, bool SlopeKnown, bool Gaussianized)
    {
        public double MeanSquare => Apply is null ? Q : SignalPropagation.Expectation(h => Square(Apply(h)), Q);

        public double Mean => Apply is null ? 0 : SignalPropagation.Expectation(Apply, Q);

        public double SlopeSquare => !SlopeKnown ? double.NaN : Slope is null ? 1 : SignalPropagation.Expectation(h => Square(Slope(h)), Q);
    }

    private sealed class Walk(Layer outputLayer)
    {
        public List<LayerPrediction> DensePredictions { get; } = [];

        public List<BlockPrediction> Blocks { get; } = [];

        public List<string> Caveats { get; } = [];

        public bool Run(IReadOnlyList<Layer> layers, ref Signal signal)
        {
            foreach (Layer layer in layers)
            {
                bool known = layer switch
                {
                    Dense dense => Through(dense, ref signal),
                    ActivationLayer activation => Through(activation, ref signal),
                    ScalarBias bias => Through(bias, ref signal),
                    BatchNormalization or LayerNormalization => Normalize(layer, ref signal),
                    Residual block => Through(block, ref signal),
                    _ => false,
                };
                if (!known)
                {
                    return false;
                }
            }
            return true;
        }

        private void Note(string caveat)
        {
            if (!Caveats.Contains(caveat))
            {
                Caveats.Add(caveat);
            }
        }

        private bool Through(Dense layer, ref Signal signal)
        {
            bool rowWise = !layer.Activation.IsElementwise;
            if (rowWise && !ReferenceEquals(layer, outputLayer))
            {
                return false; // a row-wise output (softmax) can be predicted up to its pre-activation; nothing may follow it
            }
            if (KernelScale(layer) is not double sigmaW2 || BiasScale(layer) is not double sigmaB2)
            {
                return false;
            }
            // q = σ_w²·E[φ(h)²] + σ_b², χ = σ_w²·E[φ′(h)²] (SignalPropagation's recursion, the same sums).
            double q = sigmaW2 * signal.MeanSquare + sigmaB2;
            double chi = sigmaW2 * signal.SlopeSquare;
            Activation activation = layer.Activation;
            if (rowWise)
            {
                DensePredictions.Add(new LayerPrediction(layer.Name, q, double.NaN, chi));
                return true;
            }
            double mean = SignalPropagation.Expectation(activation.Apply, q);
            double meanSquare = SignalPropagation.Expectation(h => Square(activation.Apply(h)), q);
            DensePredictions.Add(new LayerPrediction(layer.Name, q, Math.Sqrt(Math.Max(0, meanSquare - mean * mean)), chi));
            signal = new Signal(q, activation.Apply, activation.Derivative, SlopeKnown: true, Gaussianized: false);
            return true;
        }

        private bool Through(ActivationLayer layer, ref Signal signal)
        {
            Activation activation = layer.Activation;
            if (!activation.IsElementwise)
            {
                return false;
            }
            if (signal.Gaussianized && signal.Apply is null)
            {
                Note($"an Activation layer applies {activation.Name} to a signal that is not a Dense pre-activation (a block's output, a normalization's, or the input), treated as Gaussian with its mean square: approximate.");
            }
            Func<double, double>? apply = signal.Apply, slope = signal.Slope;
            signal = signal with
            {
                Apply = apply is null ? activation.Apply : h => activation.Apply(apply(h)),
                Slope = apply is null ? activation.Derivative : h => activation.Derivative(apply(h)) * (slope is null ? 1 : slope(h)),
            };
            return true;
        }

        private static bool Through(ScalarBias layer, ref Signal signal)
        {
            double bias = layer.Value;
            Func<double, double>? apply = signal.Apply;
            signal = signal with { Apply = apply is null ? h => h + bias : h => apply(h) + bias };
            return true;
        }

        private bool Normalize(Layer layer, ref Signal signal)
        {
            double gammaSquare, betaSquare, epsilon;
            string statistics;
            switch (layer)
            {
                case BatchNormalization bn:
                    (gammaSquare, betaSquare, epsilon, statistics) = (SampleStatistics.MeanSquare(bn.Gamma), SampleStatistics.MeanSquare(bn.Beta), bn.Epsilon, "batch statistics (per feature)");
                    break;
                case LayerNormalization ln:
                    (gammaSquare, betaSquare, epsilon, statistics) = (SampleStatistics.MeanSquare(ln.Gamma), SampleStatistics.MeanSquare(ln.Beta), ln.Epsilon, "row statistics (per example)");
                    break;
                default:
                    return false;
            }
            double mean = signal.Mean, variance = Math.Max(0, signal.MeanSquare - mean * mean);
            double q = ResidualVariance.NormalizedMeanSquare(gammaSquare, betaSquare, variance, epsilon);
            Note($"{layer.KindName} normalizes with {statistics}: its output's mean square is mean(γ²)·v/(v+ε) + mean(β²) (γ² + β² once v ≫ ε) " +
                "whatever the scale before it, so the variance recursion restarts there and a branch ending in it adds α²·γ² per block " +
                "(linear growth, not ∏ of constant factors); Gaussian shape assumed after it, no gradient factor predicted across it.");
            signal = new Signal(q, null, null, SlopeKnown: false, Gaussianized: true);
            return true;
        }

        private bool Through(Residual block, ref Signal signal)
        {
            Signal input = signal;
            double inputSquare = input.MeanSquare;
            int at = Blocks.Count;
            Signal branch = input;
            if (!Run(block.Branch, ref branch))
            {
                return false;
            }
            double branchSquare = branch.MeanSquare, shortcutSquare = inputSquare;
            if (block.Projection is Dense projection)
            {
                Signal shortcut = input;
                if (!Through(projection, ref shortcut))
                {
                    return false;
                }
                shortcutSquare = DensePredictions[^1].PreActivationMeanSquare;
            }
            double alpha = block.Alpha;
            double outputSquare = shortcutSquare + alpha * alpha * branchSquare; // E[s·F] = 0: F's last weights are zero-mean, independent of s
            Blocks.Insert(at, new BlockPrediction(block.Name, inputSquare, branchSquare, shortcutSquare, outputSquare, alpha,
                block.Branch.Any(Probe.IsNormalization)));
            signal = alpha == 0 && block.Projection is null
                ? input
                : new Signal(outputSquare, null, null, SlopeKnown: true, Gaussianized: true);
            return true;
        }
    }

    // σ_w² = fan_in·Var(w) from the initializer, or measured when it has no known moments or the drawn kernel was rescaled.
    private static double? KernelScale(Dense layer)
    {
        double measured = layer.InputDim * SampleStatistics.MeanSquare(layer.Kernel);
        if (SignalPropagation.WeightMoments(layer.KernelInitializer, layer.KernelFans) is (double mean, double variance))
        {
            if (mean != 0)
            {
                return null;
            }
            double predicted = layer.InputDim * variance;
            return predicted == measured || (predicted > 0 && measured / predicted is > 1 / RescaledFactor and < RescaledFactor) ? predicted : measured;
        }
        double measuredMean = SampleStatistics.Mean(layer.Kernel);
        return measuredMean * measuredMean * layer.InputDim < 0.05 * 0.05 * Math.Max(measured, double.Epsilon) ? measured : null;
    }

    private static double? BiasScale(Dense layer)
    {
        if (!layer.UseBias)
        {
            return 0;
        }
        if (SignalPropagation.WeightMoments(layer.BiasInitializer, Fans.ForBias(layer.Units, layer.InputDim)) is (double mean, double variance))
        {
            return variance + mean * mean;
        }
        return SampleStatistics.MeanSquare(layer.Bias);
    }

    private static double Square(double x) => x * x;
}
