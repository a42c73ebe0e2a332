using System.Globalization;
using InitLab.Activations;

namespace InitLab.Theory;

/// <summary>
/// The mean-field theory of signal propagation in wide random networks (Poole et al. 2016, "Exponential expressivity
/// in deep neural networks through transient chaos"; Schoenholz et al. 2017, "Deep information propagation") for one
/// activation φ, weight variance σ_w² (the variance of a weight times the fan-in, e.g. 2 for He) and bias variance σ_b²,
/// computed from Gaussian integrals alone, without building a model. Pre-activations of width → ∞ layers are
/// Gaussian: one input has length q (mean square pre-activation), two inputs have correlation c.
/// </summary>
/// <remarks>Integrals: composite Gauss–Legendre split where the pre-activation is 0, so ReLU-like kinks at 0 are
/// integrated to ~1e-14; activations with kinks elsewhere converge more slowly (second order at the kink). q* and c* are
/// cached on first use, so share an instance between threads only after calling <see cref="Summarize"/>.</remarks>
public sealed class MeanField
{
    /// <summary>A length above this counts as divergent (no finite fixed point): beyond it σ_b² is below the quadrature's
    /// relative accuracy (~1e-15) times q, so "q′ − q &gt; 0" can no longer be decided.</summary>
    private const double Divergent = 1e12;

    /// <summary>Where χ₁ and the maps are evaluated when q* is infinite: large enough that σ_b² no longer matters.</summary>
    private const double LargeLength = Divergent;

    /// <summary>Where they are evaluated when q* = 0: the limit q → 0⁺ (ReLU's slope at exactly 0 is a convention, 0).</summary>
    private const double SmallLength = 1e-30;

    /// <summary>χ₁ within this of 1 counts as critical: the quadrature's error is ~1e-14.</summary>
    private const double CriticalTolerance = 1e-12;

    private double? _lengthFixedPoint;
    private double? _correlationFixedPoint;

    /// <summary>Creates the theory for one (φ, σ_w², σ_b²).</summary>
    /// <param name="activation">An elementwise activation (not softmax).</param>
    /// <param name="weightVariance">σ_w² = fan-in × Var[w], finite and &gt; 0.</param>
    /// <param name="biasVariance">σ_b² = Var[b], finite and ≥ 0.</param>
    /// <exception cref="ArgumentException">The activation is not elementwise.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A variance is out of range.</exception>
    public MeanField(Activation activation, double weightVariance, double biasVariance)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!activation.IsElementwise)
        {
            throw new ArgumentException($"MeanField: the theory needs an elementwise activation; '{activation.Name}' couples the units of a layer.", nameof(activation));
        }
        if (!(weightVariance > 0) || !double.IsFinite(weightVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(weightVariance), weightVariance, string.Create(CultureInfo.InvariantCulture,
                $"MeanField: σ_w² must be finite and > 0, got {weightVariance}. It is fan-in × Var[w]: 1 for LeCun, 2 for He."));
        }
        if (!(biasVariance >= 0) || !double.IsFinite(biasVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(biasVariance), biasVariance, string.Create(CultureInfo.InvariantCulture,
                $"MeanField: σ_b² must be finite and >= 0, got {biasVariance} (0 for zero biases)."));
        }
        Activation = activation;
        WeightVariance = weightVariance;
        BiasVariance = biasVariance;
    }

    /// <summary>φ.</summary>
    public Activation Activation { get; }

    /// <summary>σ_w².</summary>
    public double WeightVariance { get; }

    /// <summary>σ_b².</summary>
    public double BiasVariance { get; }

    /// <summary>The length map (Poole et al. eq. 3): q′ = σ_w²·E[φ(√q·z)²] + σ_b², z ~ N(0, 1).</summary>
    /// <param name="length">q ≥ 0, the previous layer's mean square pre-activation.</param>
    /// <returns>q′.</returns>
    public double LengthMap(double length)
    {
        double root = Math.Sqrt(CheckLength(length));
        return WeightVariance * GaussianExpectation.Univariate(z => Square(Activation.Apply(root * z))) + BiasVariance;
    }

    /// <summary>dq′/dq = σ_w²·E[φ(√q·z)·φ′(√q·z)·z]/√q (Stein's lemma applied to d/dq E[φ(√q·z)²]); the rate at
    /// which a length perturbation decays near q*. At q → 0 it tends to σ_w²·φ′(0)² for φ(0) = 0.</summary>
    /// <param name="length">q ≥ 0.</param>
    /// <returns>dq′/dq.</returns>
    public double LengthMapSlope(double length)
    {
        double q = Math.Max(CheckLength(length), 1e-12);
        double root = Math.Sqrt(q);
        return WeightVariance * GaussianExpectation.Univariate(z => Activation.Apply(root * z) * Activation.Derivative(root * z) * z) / root;
    }

    /// <summary>
    /// q*, the fixed point of the length map reached from q⁰ = <paramref name="initialLength"/>: 100 iterations of the
    /// map, then bisection on q′(q) − q inside a bracket found by halving/doubling. 0 when the length decays to 0 (σ_b² = 0
    /// and φ(0) = 0 in the ordered phase); +∞ when it grows without bound (ReLU with σ_w² &gt; 2, or = 2 with σ_b² &gt; 0).
    /// </summary>
    /// <param name="initialLength">q⁰ &gt; 0 (default 1; it matters only where every q is a fixed point, e.g. ReLU with σ_w² = 2, σ_b² = 0).</param>
    /// <returns>q*.</returns>
    public double LengthFixedPoint(double initialLength = 1)
    {
        if (initialLength == 1 && _lengthFixedPoint is double cached)
        {
            return cached;
        }
        double result = SolveLengthFixedPoint(initialLength);
        if (initialLength == 1)
        {
            _lengthFixedPoint = result;
        }
        return result;
    }

    private double SolveLengthFixedPoint(double initialLength)
    {
        if (!(initialLength > 0) || !double.IsFinite(initialLength))
        {
            throw new ArgumentOutOfRangeException(nameof(initialLength), initialLength,
                string.Create(CultureInfo.InvariantCulture, $"MeanField: the initial length must be finite and > 0, got {initialLength}."));
        }
        double q = initialLength;
        for (int i = 0; i < 100; i++)
        {
            double next = LengthMap(q);
            if (!(next < Divergent))
            {
                return double.PositiveInfinity;
            }
            if (Math.Abs(next - q) <= 1e-15 * next)
            {
                return next;
            }
            q = next;
        }
        double gap = LengthMap(q) - q;
        if (gap == 0)
        {
            return q;
        }
        double lo = q, hi = q;
        if (gap < 0)
        {
            // The map pulls q down: the fixed point lies below (or is 0).
            while (LengthMap(lo) - lo < 0)
            {
                hi = lo;
                lo /= 2;
                if (lo < 1e-300)
                {
                    return 0;
                }
            }
        }
        else
        {
            while (LengthMap(hi) - hi > 0)
            {
                lo = hi;
                hi *= 2;
                if (hi > Divergent)
                {
                    return double.PositiveInfinity;
                }
            }
        }
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (LengthMap(mid) - mid > 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>
    /// The correlation map (Poole et al. eq. 5) for two inputs of length q: c′ = (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²) / q′, where
    /// (u₁, u₂) are Gaussian with variance q and correlation c, and q′ = <see cref="LengthMap"/>(q).
    /// </summary>
    /// <param name="correlation">c in [−1, 1].</param>
    /// <param name="length">q ≥ 0 (use <see cref="LengthFixedPoint"/> for the fixed-point map).</param>
    /// <returns>c′.</returns>
    public double CorrelationMap(double correlation, double length)
    {
        CheckCorrelation(correlation);
        double root = Math.Sqrt(CheckLength(length));
        double covariance = WeightVariance * GaussianExpectation.Bivariate((x1, x2) => Activation.Apply(root * x1) * Activation.Apply(root * x2), correlation)
            + BiasVariance;
        return covariance / LengthMap(length);
    }

    /// <summary>
    /// c*, the stable fixed point of the correlation map at q*: 1 in the ordered phase (χ₁ ≤ 1); in the chaotic phase
    /// (χ₁ &gt; 1) the root of c′(c) − c in [−1, 1) found by bisection (it is unique for the usual activations).
    /// </summary>
    /// <returns>c*.</returns>
    public double CorrelationFixedPoint()
    {
        if (_correlationFixedPoint is double cached)
        {
            return cached;
        }
        double result = 1;
        if (Chi1 > 1 + CriticalTolerance)
        {
            double q = EvaluationLength;
            double hi = double.NaN;
            for (double delta = 1e-3; delta >= 1e-12; delta /= 10)
            {
                if (CorrelationMap(1 - delta, q) - (1 - delta) < 0)
                {
                    hi = 1 - delta;
                    break;
                }
            }
            if (!double.IsNaN(hi))
            {
                // c′(−1) ≥ −1 always (Cauchy–Schwarz), so [−1, hi] brackets a root.
                double lo = -1;
                for (int i = 0; i < 100 && hi - lo > 1e-15; i++)
                {
                    double mid = 0.5 * (lo + hi);
                    if (CorrelationMap(mid, q) - mid > 0)
                    {
                        lo = mid;
                    }
                    else
                    {
                        hi = mid;
                    }
                }
                result = 0.5 * (lo + hi);
            }
        }
        _correlationFixedPoint = result;
        return result;
    }

    /// <summary>χ₁ = σ_w²·E[φ′(√q*·z)²] (Poole et al. eq. 7): the slope of the correlation map at c = 1 and the
    /// per-layer factor of the mean squared gradient going backward. &lt; 1 ordered, &gt; 1 chaotic, = 1 critical.</summary>
    public double Chi1
    {
        get
        {
            double root = Math.Sqrt(EvaluationLength);
            return WeightVariance * GaussianExpectation.Univariate(z => Square(Activation.Derivative(root * z)));
        }
    }

    /// <summary>χ_c = σ_w²·E[φ′(u₁)φ′(u₂)] at (q*, c*) (Schoenholz et al. eq. 9): the slope of the correlation map at
    /// its fixed point. Equals χ₁ when c* = 1.</summary>
    public double ChiC
    {
        get
        {
            double c = CorrelationFixedPoint();
            if (c == 1)
            {
                return Chi1;
            }
            double root = Math.Sqrt(EvaluationLength);
            return WeightVariance * GaussianExpectation.Bivariate((x1, x2) => Activation.Derivative(root * x1) * Activation.Derivative(root * x2), c);
        }
    }

    /// <summary>ξ_q = −1/ln(dq′/dq at q*) (Schoenholz et al. eq. 5, written with Stein's lemma): layers over which a
    /// perturbation of an input's length decays; +∞ when the slope is ≥ 1 or q* is infinite.</summary>
    public double LengthDepthScale => DepthScale(double.IsPositiveInfinity(LengthFixedPoint()) ? double.PositiveInfinity : LengthMapSlope(LengthFixedPoint()));

    /// <summary>ξ_c = −1/ln χ_c (Schoenholz et al. eq. 9): layers over which the correlation of two inputs approaches c*;
    /// diverges at criticality (χ₁ = 1).</summary>
    public double CorrelationDepthScale => DepthScale(ChiC);

    /// <summary>The factor by which E[(∂L/∂a)²] grows per layer going backward, χ₁ (Schoenholz et al. §4), for layers
    /// of equal width; multiply by N_{l+1}/N_l for unequal ones. ξ_∇ = −1/ln χ₁ layers of vanishing when &lt; 1.</summary>
    public double GradientFactor => Chi1;

    /// <summary>All the fixed-point quantities at once.</summary>
    /// <returns>The summary.</returns>
    public MeanFieldSummary Summarize() => new(Activation.Name, WeightVariance, BiasVariance, LengthFixedPoint(), Chi1,
        CorrelationFixedPoint(), ChiC, LengthDepthScale, CorrelationDepthScale, GradientFactor);

    /// <summary>
    /// The σ_w² at which χ₁ = 1 for this σ_b² (the order-to-chaos transition), by bisection on χ₁(σ_w²) − 1 between
    /// 1e-6 and an upper bracket found by doubling from 1. tanh: 1 at σ_b² = 0, ≈ 1.76 at σ_b² = 0.05; ReLU: 2.
    /// </summary>
    /// <param name="activation">An elementwise activation.</param>
    /// <param name="biasVariance">σ_b² ≥ 0.</param>
    /// <returns>The critical σ_w², or NaN when there is no transition in (1e-6, 1e6]: χ₁ is already ≥ 1 at σ_w² = 1e-6,
    /// or still &lt; 1 at 1e6.</returns>
    public static double CriticalWeightVariance(Activation activation, double biasVariance)
    {
        double Gap(double weightVariance) => new MeanField(activation, weightVariance, biasVariance).Chi1 - 1;
        double lo = 1e-6, hi = 1;
        if (Gap(lo) >= 0)
        {
            return double.NaN;
        }
        while (Gap(hi) < 0)
        {
            lo = hi;
            hi *= 2;
            if (hi > 1e6)
            {
                return double.NaN;
            }
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Gap(mid) < 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>q* where it is finite; a large length where it diverges (the large-q limit, where σ_b² no longer counts).</summary>
    private double EvaluationLength
    {
        get
        {
            double q = LengthFixedPoint();
            return double.IsPositiveInfinity(q) ? LargeLength : Math.Max(q, SmallLength);
        }
    }

    private static double DepthScale(double slope) =>
        slope >= 1 - CriticalTolerance || double.IsNaN(slope) ? double.PositiveInfinity : slope <= 0 ? 0 : -1 / Math.Log(slope);

    private static double Square(double v) => v * v;

    private static double CheckLength(double length)
    {
        if (!(length >= 0) || !double.IsFinite(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                string.Create(CultureInfo.InvariantCulture, $"MeanField: a length q must be finite and >= 0, got {length}."));
        }
        return length;
    }

    private static void CheckCorrelation(double correlation)
    {
        if (!(correlation >= -1 && correlation <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(correlation), correlation,
                string.Create(CultureInfo.InvariantCulture, $"MeanField: a correlation c must be in [-1, 1], got {correlation}."));
        }
    }
}
