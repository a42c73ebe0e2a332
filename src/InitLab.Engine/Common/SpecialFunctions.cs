namespace InitLab.Common;

/// <summary>Error function and normal distribution helpers in double precision (.NET has no Math.Erf).</summary>
public static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double InvSqrtTwoPi = 0.3989422804014327;

    /// <summary>erf(x), accurate to about 1e-14 absolute: Maclaurin series for |x| &lt; 2.5, the Laplace continued
    /// fraction for erfc beyond (evaluated by the modified Lentz method).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>erf(x).</returns>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        double ax = Math.Abs(x);
        if (ax < 2.5)
        {
            // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n!(2n+1)); terms peak near e^{x²} ≈ 500, so ~13 digits survive.
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }
            return TwoOverSqrtPi * sum;
        }
        double erfc = ErfcLarge(ax);
        return x > 0 ? 1.0 - erfc : erfc - 1.0;
    }

    /// <summary>The standard normal CDF Φ(x) = (1 + erf(x/√2))/2, or erfc(−x/√2)/2 in the left tail (x/√2 ≤ −2.5), where
    /// 1 + erf cancels: Φ(−6.6) lost six digits that way.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>Φ(x).</returns>
    public static double NormalCdf(double x)
    {
        double u = x / Math.Sqrt(2.0);
        return u <= -2.5 ? 0.5 * ErfcLarge(-u) : 0.5 * (1.0 + Erf(u));
    }

    /// <summary>The standard normal density φ(x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>φ(x).</returns>
    public static double NormalPdf(double x) => InvSqrtTwoPi * Math.Exp(-0.5 * x * x);

    private static double ErfcLarge(double x)
    {
        // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), converges fast for x ≥ 2.5.
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double an = n * 0.5;
            d = x + an * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + an / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
            {
                break;
            }
        }
        return Math.Exp(-x * x) / (f * Math.Sqrt(Math.PI));
    }
}
