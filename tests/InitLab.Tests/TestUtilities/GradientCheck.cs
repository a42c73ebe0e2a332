namespace InitLab.Tests.TestUtilities;

/// <summary>Central differences and STYLE.md's relative error max|a − n| / max(|a|, |n|, 1e-8).</summary>
internal static class GradientCheck
{
    public static double[] Numerical(double[] point, Func<double[], double> function, double h)
    {
        var gradient = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double saved = point[i];
            point[i] = saved + h;
            double plus = function(point);
            point[i] = saved - h;
            double minus = function(point);
            point[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }
        return gradient;
    }

    public static double RelativeError(ReadOnlySpan<double> analytic, ReadOnlySpan<double> numerical)
    {
        double maxDiff = 0, maxMagnitude = 1e-8;
        for (int i = 0; i < analytic.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(analytic[i] - numerical[i]));
            maxMagnitude = Math.Max(maxMagnitude, Math.Max(Math.Abs(analytic[i]), Math.Abs(numerical[i])));
        }
        return maxDiff / maxMagnitude;
    }
}
