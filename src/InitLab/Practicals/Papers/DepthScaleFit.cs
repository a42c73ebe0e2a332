namespace InitLab.Practicals.Papers;

/// <summary>
/// The depth scale ξ of a difference that decays exponentially, δ_l ∝ e^(−l/ξ): −1/slope of the least-squares line
/// through (l, ln|δ_l|).
/// </summary>
internal static class DepthScaleFit
{
    /// <summary>−1/slope of ln|δ_l| against l; +∞ when it does not decrease, NaN when a δ_l is 0 or not finite.</summary>
    /// <param name="differences">δ₀, δ₁, … (at least 3 values).</param>
    /// <returns>ξ in layers.</returns>
    public static double Fit(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ArgumentOutOfRangeException.ThrowIfLessThan(differences.Count, 3);
        int n = differences.Count;
        double mx = (n - 1) / 2.0, my = 0;
        for (int l = 0; l < n; l++)
        {
            double d = Math.Abs(differences[l]);
            if (!(d > 0) || !double.IsFinite(d))
            {
                return double.NaN;
            }
            my += Math.Log(d) / n;
        }
        double sxy = 0, sxx = 0;
        for (int l = 0; l < n; l++)
        {
            sxy += (l - mx) * (Math.Log(Math.Abs(differences[l])) - my);
            sxx += (l - mx) * (l - mx);
        }
        double slope = sxy / sxx;
        return slope >= 0 ? double.PositiveInfinity : -1 / slope;
    }
}
