namespace InitLab.Theory;

/// <summary>
/// Expectations over standard normal variables by composite 10-point Gauss–Legendre on [−10, 10] (the mass outside is
/// below 2e-23), in panels of width ≤ 1, split at the points where ReLU-like activations and their slopes jump (where
/// the pre-activation is 0), so every panel integrates a smooth function and step functions come out to ~1e-14.
/// </summary>
internal static class GaussianExpectation
{
    private const double Range = 10;
    private const double PanelWidth = 1;
    private static readonly double s_density = 1 / Math.Sqrt(2 * Math.PI);
    private static readonly (double[] Nodes, double[] Weights) s_rule = GaussLegendre(10);

    /// <summary>E[f(z)] for z ~ N(0, 1), with a break in f (or its slope) allowed at <paramref name="breakpoint"/>.</summary>
    public static double Univariate(Func<double, double> f, double breakpoint = 0) => Univariate(f, breakpoint, PanelWidth);

    private static double Univariate(Func<double, double> f, double breakpoint, double panelWidth)
    {
        double sum = 0;
        Segments(breakpoint, out double a0, out double b0, out double a1, out double b1);
        sum += Integrate(f, a0, b0, panelWidth);
        if (b1 > a1)
        {
            sum += Integrate(f, a1, b1, panelWidth);
        }
        return sum;
    }

    /// <summary>
    /// E[f(x₁, x₂)] for standard normals with correlation <paramref name="correlation"/> in [−1, 1]: x₁ = z₁,
    /// x₂ = c·z₁ + √(1 − c²)·z₂, with the inner integral split where x₂ = 0 (z₂ = −c·z₁/√(1 − c²)). The inner integral
    /// varies with z₁ on a scale of √(1 − c²)/|c| near the kink, so the outer panels shrink to 2·√(1 − c²) (at least 0.05).
    /// </summary>
    public static double Bivariate(Func<double, double, double> f, double correlation)
    {
        double c = Math.Clamp(correlation, -1, 1);
        double s = Math.Sqrt(Math.Max(0, 1 - c * c));
        if (s < 1e-12)
        {
            return Univariate(z => f(z, c * z));
        }
        return Univariate(z1 => Univariate(z2 => f(z1, c * z1 + s * z2), -c * z1 / s), 0, Math.Clamp(2 * s, 0.05, PanelWidth));
    }

    private static void Segments(double breakpoint, out double a0, out double b0, out double a1, out double b1)
    {
        if (breakpoint > -Range && breakpoint < Range)
        {
            (a0, b0, a1, b1) = (-Range, breakpoint, breakpoint, Range);
        }
        else
        {
            (a0, b0, a1, b1) = (-Range, Range, 0, 0);
        }
    }

    /// <summary>∫ f(z)·N(z; 0, 1) dz over [a, b].</summary>
    private static double Integrate(Func<double, double> f, double a, double b, double panelWidth)
    {
        int panels = Math.Max(1, (int)Math.Ceiling((b - a) / panelWidth));
        double width = (b - a) / panels, half = width / 2, sum = 0;
        (double[] nodes, double[] weights) = s_rule;
        for (int p = 0; p < panels; p++)
        {
            double centre = a + (p + 0.5) * width;
            for (int i = 0; i < nodes.Length; i++)
            {
                double z = centre + half * nodes[i];
                sum += weights[i] * f(z) * Math.Exp(-0.5 * z * z);
            }
        }
        return sum * half * s_density;
    }

    /// <summary>Nodes and weights of the n-point Gauss–Legendre rule on [−1, 1]: Newton on Pₙ from Tricomi's
    /// starting values cos(π(i − ¼)/(n + ½)).</summary>
    internal static (double[] Nodes, double[] Weights) GaussLegendre(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                double p0 = 1, p1 = x;
                for (int k = 2; k <= n; k++)
                {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = n * (x * p1 - p0) / (x * x - 1);
                double step = p1 / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-16)
                {
                    break;
                }
            }
            nodes[i] = -x;
            nodes[n - 1 - i] = x;
            weights[i] = weights[n - 1 - i] = 2 / ((1 - x * x) * derivative * derivative);
        }
        return (nodes, weights);
    }
}
