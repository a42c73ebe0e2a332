using System.Globalization;
using InitLab.Activations;

namespace InitLab.Theory;

/// <summary>
/// The variance recursion of a residual stack at initialisation, y = s(x) + α·F(x), in the mean-field picture
/// (width → ∞; "variance" is the mean square q = E[x²] over rows and units, the quantity mean-field theory propagates and
/// the variance itself for zero-mean signals). F's last layer has zero-mean weights drawn independently of x, so
/// E[s·F] = 0 and
/// <code>q_{l+1} = q_s + α²·q_F(q_l) = q_l·(1 + α²·q_F(q_l)/q_l)   (identity shortcut: q_s = q_l)</code>
/// and after L blocks q_L = q_0·∏_l (1 + α_l²·q_F,l/q_l). For a branch of Dense layers, q_F follows the per-layer length
/// map of <see cref="MeanField"/>: q₁ = σ_w1²·q + σ_b1², q_k = σ_wk²·E[φ_{k−1}(h)²] + σ_bk² with h ~ N(0, q_{k−1}), and
/// q_F = E[φ_m(h)²], h ~ N(0, q_m). For ReLU (positively homogeneous) and zero biases q_F is proportional to q, so every
/// block multiplies q by the same factor: He-initialised Dense(relu) → Dense(linear) gives q_F = 2·½·2·q = 2q, ×3 per
/// block; a branch whose last layer has σ_w² = 1 (or a pre-activation ReLU → Dense(He) branch) gives q_F = q, ×2; α = 0
/// (SkipInit, ReZero) gives ×1; the last layer's variance divided by 2L ("scaled", GPT-2) gives ×(1 + r/(2L)) where r is
/// the unscaled ratio, so ∏ → e^{r/2} instead of (1 + r)^L.
/// </summary>
/// <remarks>
/// Where it stops applying: a normalization layer inside the branch. BatchNormalization with batch statistics (training
/// and probe passes) rescales every feature to variance γ²·v/(v + ε) (v its batch variance), whatever q was; if it ends
/// the branch, q_F = γ² + β² and the block factor is 1 + α²·(γ² + β²)/q_l, which falls as q grows, so the stack's
/// variance grows linearly (q_L ≈ q_0 + L·α²γ²), not geometrically. LayerNormalization does the same per row. Both are
/// exact in mean square only; the Gaussian shape mean-field assumes after them is an approximation. With running
/// statistics (inference after training) BN is an affine map fixed by training and no prediction from the
/// initialisation applies.
/// </remarks>
public static class ResidualVariance
{
    /// <summary>One block's factor q_{l+1}/q_l = (q_s + α²·q_F)/q_x.</summary>
    /// <param name="inputMeanSquare">q_x = E[x²] of the block's input, &gt; 0.</param>
    /// <param name="shortcutMeanSquare">q_s = E[s(x)²] (q_x for the identity shortcut).</param>
    /// <param name="branchMeanSquare">q_F = E[F(x)²], before α.</param>
    /// <param name="alpha">α, the branch's multiplier.</param>
    /// <returns>The factor.</returns>
    public static double BlockFactor(double inputMeanSquare, double shortcutMeanSquare, double branchMeanSquare, double alpha)
    {
        if (!(inputMeanSquare > 0) || !double.IsFinite(inputMeanSquare))
        {
            throw new ArgumentOutOfRangeException(nameof(inputMeanSquare), inputMeanSquare, string.Create(CultureInfo.InvariantCulture,
                $"ResidualVariance: the block input's mean square must be finite and > 0, got {inputMeanSquare}."));
        }
        return (shortcutMeanSquare + alpha * alpha * branchMeanSquare) / inputMeanSquare;
    }

    /// <summary>q_F of a branch of Dense layers for an input of mean square <paramref name="inputMeanSquare"/>, by the
    /// mean-field length map layer by layer (σ_w² = 0, e.g. Fixup's zero last layer, gives q = σ_b²).</summary>
    /// <param name="inputMeanSquare">q_x of the branch's input.</param>
    /// <param name="layers">The branch's Dense layers, first to last: activation, σ_w² = fan_in·Var(w), σ_b² = E[b²].</param>
    /// <returns>q_F = E[φ_m(h_m)²].</returns>
    public static double DenseBranchMeanSquare(double inputMeanSquare, IReadOnlyList<BranchLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("ResidualVariance: the branch needs at least one layer.", nameof(layers));
        }
        double signal = inputMeanSquare, q = 0;
        for (int k = 0; k < layers.Count; k++)
        {
            BranchLayer layer = layers[k];
            if (!layer.Activation.IsElementwise)
            {
                throw new ArgumentException($"ResidualVariance: branch layer {k} has '{layer.Activation.Name}', which couples the units; only elementwise activations have a length map.", nameof(layers));
            }
            q = layer.WeightVariance * signal + layer.BiasVariance; // q_k = σ_w²·E[φ_{k−1}(h)²] + σ_b²
            Activation activation = layer.Activation;
            double root = Math.Sqrt(Math.Max(0, q));
            signal = GaussianExpectation.Univariate(z => Square(activation.Apply(root * z)));
        }
        return signal;
    }

    /// <summary>q_l after each of <paramref name="blocks"/> identical identity-shortcut blocks: q_{l+1} = q_l + α²·q_F(q_l).</summary>
    /// <param name="inputMeanSquare">q_0.</param>
    /// <param name="blocks">L ≥ 0.</param>
    /// <param name="branch">The branch map q ↦ q_F.</param>
    /// <param name="alpha">α.</param>
    /// <returns>q_0, q_1, …, q_L.</returns>
    public static IReadOnlyList<double> Propagate(double inputMeanSquare, int blocks, Func<double, double> branch, double alpha)
    {
        ArgumentNullException.ThrowIfNull(branch);
        ArgumentOutOfRangeException.ThrowIfNegative(blocks);
        var q = new double[blocks + 1];
        q[0] = inputMeanSquare;
        for (int l = 0; l < blocks; l++)
        {
            q[l + 1] = q[l] + alpha * alpha * branch(q[l]);
        }
        return q;
    }

    /// <summary>q_F of a branch that ends in a normalization layer with batch (BN) or row (LN) statistics:
    /// mean(γ²)·v/(v + ε) + mean(β²), v the variance it normalizes; independent of the block's input scale once v ≫ ε.</summary>
    /// <param name="gammaMeanSquare">mean(γ²) (1 at Keras' default ones, 0 for zero-γ).</param>
    /// <param name="betaMeanSquare">mean(β²) (0 at the default).</param>
    /// <param name="normalizedVariance">v.</param>
    /// <param name="epsilon">ε (1e-3 in Keras).</param>
    /// <returns>q_F.</returns>
    public static double NormalizedMeanSquare(double gammaMeanSquare, double betaMeanSquare, double normalizedVariance, double epsilon) =>
        normalizedVariance + epsilon > 0 ? gammaMeanSquare * normalizedVariance / (normalizedVariance + epsilon) + betaMeanSquare : betaMeanSquare;

    private static double Square(double x) => x * x;
}
