using System.Numerics;

namespace InitLab.Activations;

/// <summary>
/// Vector forms of the exp-based activations for float lanes. Each float vector is widened to two double vectors, the
/// formula is evaluated in double (Vector.Exp in double is within ~1 double ulp) and the result rounded once to float,
/// so a lane is within 1–2 float ulps of the exact value — at least as close as the scalar float formulas, which round
/// every step in float. Tests hold both to an independent table and to each other.
/// </summary>
internal static class VectorFormulas
{
    /// <summary>Below this |z|, tanh(z) = z(1 − z²/3 + …) rounds to z in float (z²/3 &lt; 2⁻²⁵), and z is returned: the
    /// (e − 1)/(e + 1) form would lose relative accuracy there (and TensorPrimitives.Tanh is off by 6e-8 at 0).</summary>
    private const double TanhLinearBelow = 1.0 / 4096;

    /// <summary>Past |z| = 20, tanh(z) is ±1 even in double; clamping keeps e^{2|z|} finite (inf/inf would be NaN).</summary>
    private const double TanhClampAt = 20;

    /// <summary>positiveScale·z for z &gt; 0, negativeScale·(eᶻ − 1) otherwise: ELU (1, α) and SELU (λ, λα).</summary>
    public static Vector<float> ExpLinear(Vector<float> z, double positiveScale, double negativeScale)
    {
        Vector.Widen(z, out Vector<double> low, out Vector<double> high);
        return Vector.Narrow(Half(low, positiveScale, negativeScale), Half(high, positiveScale, negativeScale));

        static Vector<double> Half(Vector<double> x, double positiveScale, double negativeScale)
        {
            // For large positive x the exp branch is inf, never NaN, and is not selected; NaN fails x > 0 and stays NaN.
            Vector<double> negative = new Vector<double>(negativeScale) * (Vector.Exp(x) - Vector<double>.One);
            return Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<double>.Zero), new Vector<double>(positiveScale) * x, negative);
        }
    }

    /// <summary>tanh(z) = sign(z)·(e − 1)/(e + 1) with e = e^{2|z|}, z itself for tiny |z|, NaN kept.</summary>
    public static Vector<float> Tanh(Vector<float> z)
    {
        Vector.Widen(z, out Vector<double> low, out Vector<double> high);
        return Vector.Narrow(Half(low), Half(high));

        static Vector<double> Half(Vector<double> x)
        {
            Vector<double> magnitude = Vector.Abs(x);
            Vector<double> e = Vector.Exp(new Vector<double>(2) * Vector.Min(magnitude, new Vector<double>(TanhClampAt)));
            Vector<double> t = (e - Vector<double>.One) / (e + Vector<double>.One);
            Vector<double> signed = Vector.CopySign(t, x);
            Vector<double> result = Vector.ConditionalSelect(Vector.LessThan(magnitude, new Vector<double>(TanhLinearBelow)), x, signed);
            // NaN lanes: whatever Min did with them, give back the NaN.
            return Vector.ConditionalSelect(Vector.Equals(x, x), result, x);
        }
    }

    /// <summary>Exact GELU, z·Φ(z) with Φ(z) = erfc(−z/√2)/2. erfc is Numerical Recipes' erfcc (Press et al., 2nd ed.,
    /// §6.2: a Chebyshev fit t·exp(−u² + P(t)), t = 1/(1 + u/2), fractional error &lt; 1.2e-7 everywhere), evaluated in
    /// double: about 1 float ulp where Φ is tiny (z ≪ 0), far less where Φ is near 1.</summary>
    public static Vector<float> Gelu(Vector<float> z)
    {
        Vector.Widen(z, out Vector<double> low, out Vector<double> high);
        return Vector.Narrow(Half(low), Half(high));

        static Vector<double> Half(Vector<double> x)
        {
            Vector<double> u = x * new Vector<double>(-0.70710678118654752440);
            Vector<double> a = Vector.Abs(u);
            Vector<double> t = Vector<double>.One / (Vector<double>.One + new Vector<double>(0.5) * a);
            Vector<double> p = new(0.17087277);
            p = p * t + new Vector<double>(-0.82215223);
            p = p * t + new Vector<double>(1.48851587);
            p = p * t + new Vector<double>(-1.13520398);
            p = p * t + new Vector<double>(0.27886807);
            p = p * t + new Vector<double>(-0.18628806);
            p = p * t + new Vector<double>(0.09678418);
            p = p * t + new Vector<double>(0.37409196);
            p = p * t + new Vector<double>(1.00002368);
            p = p * t + new Vector<double>(-1.26551223);
            Vector<double> erfcOfMagnitude = t * Vector.Exp(p - a * a);
            Vector<double> erfc = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(u, Vector<double>.Zero), erfcOfMagnitude,
                new Vector<double>(2) - erfcOfMagnitude);
            return x * new Vector<double>(0.5) * erfc;
        }
    }
}
