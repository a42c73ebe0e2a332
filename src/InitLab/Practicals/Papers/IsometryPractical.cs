using System.Diagnostics;
using InitLab.Activations;
using InitLab.Analysis;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Random;
using InitLab.Theory;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// Dynamical isometry (Pennington, Schoenholz &amp; Ganguli 2017, "Resurrecting the sigmoid in deep learning through
/// dynamical isometry"): the spread of the input–output Jacobian's squared singular values. At criticality (mean σ² = 1)
/// free probability gives Var[σ²] = L·(μ₂/μ₁² − 1 + v_W), where μ_k = E[φ′(h)^(2k)] over h ~ N(0, q*) and v_W = 1 for
/// Gaussian weights (Marchenko–Pastur), 0 for orthogonal ones. Linear + orthogonal: 0 (every σ = 1); linear + Gaussian:
/// L; ReLU: μ₂/μ₁² = 2, so orthogonal weights still leave L and Gaussian 2L; tanh near q* = 0: μ₂/μ₁² ≈ 1, so orthogonal
/// weights reach isometry and Gaussian ones do not.
/// </summary>
public static class IsometryPractical
{
    /// <summary>The paper, as cited in reports.</summary>
    public const string Paper = "Pennington, Schoenholz & Ganguli 2017, Resurrecting the sigmoid in deep learning through dynamical isometry";

    /// <summary>The formula the practical checks.</summary>
    public const string Formula = "Var[σ²] = L·(μ₂/μ₁² − 1 + v_W), μ_k = E[φ′(h)^(2k)], h ~ N(0, q*); v_W = 1 Gaussian, 0 orthogonal";

    /// <summary>Bias variance of the tanh nets: small, so q* is small and tanh is nearly linear where it is critical.</summary>
    public const double TanhBiasVariance = 0.002;

    /// <summary>The depths (hidden layers).</summary>
    public static IReadOnlyList<int> Depths { get; } = [8, 32];

    /// <summary>Width of every layer (quick: 64).</summary>
    /// <param name="quick">Quick mode.</param>
    /// <returns>Units per layer.</returns>
    public static int Width(bool quick) => quick ? 96 : 128;

    /// <summary>The networks: (activation, orthogonal?) pairs.</summary>
    public static IReadOnlyList<(string Activation, bool Orthogonal)> Networks { get; } =
        [("linear", true), ("linear", false), ("relu", true), ("relu", false), ("tanh", true), ("tanh", false)];

    /// <summary>Runs every network at every depth over the seeds.</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Narrower nets.</param>
    /// <returns>One check per network and depth.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        return [.. from depth in Depths from net in Networks select Check(net.Activation, net.Orthogonal, depth, Width(quick), seeds)];
    }

    /// <summary>One network: the predicted Var[σ²] and the measured one (mean over seeds).</summary>
    /// <param name="activation">"linear", "relu" or "tanh".</param>
    /// <param name="orthogonal">Orthogonal (else Gaussian) weights.</param>
    /// <param name="depth">Layers.</param>
    /// <param name="width">Units per layer.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <returns>The check.</returns>
    public static PaperCheck Check(string activation, bool orthogonal, int depth, int width, int seeds)
    {
        var clock = Stopwatch.StartNew();
        (double weightVariance, double biasVariance, double q) = Criticality(activation);
        double predicted = PredictedVariance(activation, orthogonal, depth, q);
        var perSeed = new List<double>();
        IReadOnlyList<double> samples = [];
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            Spectrum spectrum = Measure(activation, orthogonal, depth, width, seed, weightVariance, biasVariance, q);
            // Var[σ²]/E[σ²]²: the paper's normalization (mean σ² = 1 at criticality) applied per net, so the finite-width
            // fluctuation of the overall scale (log-normal over seeds, Hanin & Rolnick) does not pass for spread.
            perSeed.Add(spectrum.VarianceOfSquares / (spectrum.MeanSquare * spectrum.MeanSquare));
            if (seed == 1)
            {
                samples = [.. spectrum.SingularValues.Select(s => s * s / spectrum.MeanSquare)]; // σ²/E[σ²], as the verdict
            }
        }
        double measured = perSeed.Average();
        // Linear-orthogonal is exact (every σ = 1 up to float rounding). The others are finite-width, finite-sample estimates
        // of an infinite-width limit whose tail a width-n net truncates once L/n is not small, so the verdict checks the
        // paper's qualitative claim with a wide margin: isometry means Var[σ²] ≤ 0.2·L, its absence Var[σ²] ≥ 0.25·L.
        bool isometric = !(activation == "relu" || !orthogonal);
        bool exact = activation == "linear" && orthogonal;
        bool passed = exact ? measured < 1e-6 : isometric ? measured <= 0.2 * depth : measured >= 0.25 * depth;
        string criterion = exact ? "Var[σ²] < 1e-6 (float rounding)" : isometric ? "isometry: Var[σ²]/E[σ²]² ≤ 0.2·L" : "no isometry: Var[σ²]/E[σ²]² ≥ 0.25·L";
        string kind = orthogonal ? "orthogonal" : "Gaussian";
        string claim = (activation, orthogonal) switch
        {
            ("linear", true) => "A deep linear net with orthogonal weights is an exact isometry: every singular value is 1 at any depth.",
            ("linear", false) => "Gaussian weights with variance 1/n keep the mean σ² at 1 but spread the spectrum: Var[σ²] ≈ L grows with depth.",
            ("relu", true) => "ReLU cannot reach isometry: even with orthogonal weights (gain √2) half the units switch off, Var[σ²] ≈ L.",
            ("relu", false) => "ReLU with Gaussian (He) weights: both sources of spread add, Var[σ²] ≈ 2L.",
            ("tanh", true) => "tanh at criticality with small q*: orthogonal weights give dynamical isometry, Var[σ²] ≪ L.",
            _ => "tanh at criticality with Gaussian weights: no isometry, Var[σ²] ≈ L as for a linear Gaussian net.",
        };
        return new PaperCheck("isometry", $"{activation}-{kind.ToLowerInvariant()}@{depth}", Paper, Formula, claim, predicted, measured, perSeed,
            criterion, passed, samples, clock.Elapsed.TotalSeconds);
    }

    /// <summary>(σ_w², σ_b², q*) at criticality: linear 1, 0; ReLU 2, 0; tanh the critical σ_w² for σ_b² = 0.002.</summary>
    /// <param name="activation">The activation.</param>
    /// <returns>The variances and the fixed-point length.</returns>
    public static (double WeightVariance, double BiasVariance, double FixedPoint) Criticality(string activation)
    {
        if (activation != "tanh")
        {
            return (activation == "relu" ? 2 : 1, 0, 1);
        }
        Activation tanh = ActivationRegistry.Resolve("tanh");
        double weightVariance = MeanField.CriticalWeightVariance(tanh, TanhBiasVariance);
        return (weightVariance, TanhBiasVariance, new MeanField(tanh, weightVariance, TanhBiasVariance).LengthFixedPoint());
    }

    /// <summary>Var[σ²] = L·(μ₂/μ₁² − 1 + v_W).</summary>
    /// <param name="activation">The activation.</param>
    /// <param name="orthogonal">Orthogonal weights.</param>
    /// <param name="depth">L.</param>
    /// <param name="fixedPoint">q*.</param>
    /// <returns>The predicted variance of the squared singular values.</returns>
    public static double PredictedVariance(string activation, bool orthogonal, int depth, double fixedPoint)
    {
        if (activation == "linear")
        {
            return orthogonal ? 0 : depth; // φ′ = 1: μ₂/μ₁² = 1 exactly
        }
        Activation phi = ActivationRegistry.Resolve(activation);
        double root = Math.Sqrt(fixedPoint);
        double mu1 = GaussianExpectation.Univariate(z => Math.Pow(phi.Derivative(root * z), 2));
        double mu2 = GaussianExpectation.Univariate(z => Math.Pow(phi.Derivative(root * z), 4));
        return depth * (mu2 / (mu1 * mu1) - 1 + (orthogonal ? 0 : 1));
    }

    private static Spectrum Measure(string activation, bool orthogonal, int depth, int width, ulong seed, double weightVariance, double biasVariance, double q)
    {
        IInitializer kernel = orthogonal ? new Orthogonal(Math.Sqrt(weightVariance)) : new RandomNormal(0, Math.Sqrt(weightVariance / width));
        var layers = Enumerable.Range(0, depth).Select(_ => new Dense(width, ActivationRegistry.Resolve(activation), kernel,
            biasVariance > 0 ? new RandomNormal(0, Math.Sqrt(biasVariance)) : new Constant(0), useBias: biasVariance > 0));
        var model = new Sequential(width, layers, seed);
        // The input sits at the fixed point: the first pre-activation has mean square σ_w²·‖x‖²/n + σ_b² = q*.
        var rng = new Rng(seed + 1000);
        double scale = Math.Sqrt(Math.Max(q - biasVariance, 0) / weightVariance);
        float[] input = [.. Enumerable.Range(0, width).Select(_ => (float)(scale * rng.NextNormal()))];
        return Spectrum.Of(Jacobian.InputOutput(model, input));
    }
}
