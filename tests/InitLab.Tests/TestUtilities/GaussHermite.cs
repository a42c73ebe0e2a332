namespace InitLab.Tests.TestUtilities;

/// <summary>
/// E[f(z)], z ~ N(0, 1), by n-point Gauss–Hermite quadrature: nodes x_i (roots of the physicists' Hermite polynomial H_n,
/// found by Newton's method on the normalised recurrence, as in Numerical Recipes' gauher) and weights w_i, then
/// E[f(z)] = (1/√π)·Σ w_i f(√2·x_i). Written here, apart from the library's split quadrature, so that expected values in
/// the tests do not come from the code under test.
/// </summary>
internal static class GaussHermite
{
    public static double Expectation(Func<double, double> f, int points = 96)
    {
        (double[] nodes, double[] weights) = Rule(points);
        double sum = 0;
        for (int i = 0; i < points; i++)
        {
            sum += weights[i] * f(Math.Sqrt(2) * nodes[i]);
        }
        return sum / Math.Sqrt(Math.PI);
    }

    private static (double[] Nodes, double[] Weights) Rule(int n)
    {
        var x = new double[n];
        var w = new double[n];
        double piToMinusQuarter = Math.Pow(Math.PI, -0.25);
        double z = 0;
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            // Initial guesses for the largest roots first (Numerical Recipes §4.6), then each from the previous ones.
            z = i switch
            {
                0 => Math.Sqrt(2 * n + 1) - 1.85575 * Math.Pow(2 * n + 1, -1.0 / 6),
                1 => z - 1.14 * Math.Pow(n, 0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2 * z - x[i - 2],
            };
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                // Orthonormal Hermite recurrence: p_j = z·√(2/j)·p_(j−1) − √((j−1)/j)·p_(j−2).
                double p1 = piToMinusQuarter, p2 = 0;
                for (int j = 1; j <= n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.Sqrt(2.0 / j) * p2 - Math.Sqrt((j - 1.0) / j) * p3;
                }
                derivative = Math.Sqrt(2.0 * n) * p2;
                double step = p1 / derivative;
                z -= step;
                if (Math.Abs(step) <= 1e-15 * Math.Max(1, Math.Abs(z)))
                {
                    break;
                }
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2 / (derivative * derivative);
            w[n - 1 - i] = w[i];
        }
        return (x, w);
    }
}
