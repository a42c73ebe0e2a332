namespace InitLab.Tests.Initializers;

/// <summary>Sample moments in double.</summary>
internal readonly record struct Moments(double Mean, double Variance, double Kurtosis, double Min, double Max, int Count)
{
    public static Moments Of(ReadOnlySpan<float> values)
    {
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double mean = sum / values.Length, m2 = 0, m4 = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            m2 += d * d;
            m4 += d * d * d * d;
        }
        m2 /= values.Length;
        m4 /= values.Length;
        return new Moments(mean, m2, m4 / (m2 * m2), min, max, values.Length);
    }
}

/// <summary>The three families of reference §11.1 with their exact kurtosis and Var(kurtosis)·N.</summary>
internal enum Family
{
    Uniform,
    Normal,
    Truncated,
}

internal static class FamilyFacts
{
    public static double Kurtosis(Family f) => f switch
    {
        Family.Uniform => 1.8,
        Family.Truncated => 2.36553671712964951165,
        _ => 3.0,
    };

    public static double KurtosisVarianceTimesN(Family f) => f switch
    {
        Family.Uniform => 1.3165714,
        Family.Truncated => 3.8482393438,
        _ => 24.0,
    };
}
