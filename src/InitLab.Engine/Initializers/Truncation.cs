using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>The ±2σ truncated unit normal shared by Keras/JAX truncated initializers.</summary>
public static class Truncation
{
    /// <summary>c_T: the standard deviation of a unit normal truncated to [−2, 2] (√0.77374130354992325).</summary>
    public const double StdFactor = 0.87962566103423975041;

    /// <summary>v_T = c_T²: its variance, 1 − 4φ(2)/(Φ(2) − Φ(−2)).</summary>
    public const double VarianceFactor = 0.77374130354992324718;

    /// <summary>A unit normal restricted to [−2, 2] by rejection (4.55% of draws are redrawn), so nothing leaves the bounds.</summary>
    /// <param name="rng">The generator.</param>
    /// <returns>A draw in [−2, 2].</returns>
    public static double NextUnit(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        while (true)
        {
            double x = rng.NextNormal();
            if (x >= -2.0 && x <= 2.0)
            {
                return x;
            }
        }
    }
}
