using InitLab.Initializers;
using InitLab.Random;

namespace InitLab.Tests.Initializers;

/// <summary>
/// 10⁶ draws of every random registry entry (default parameters) against its exact distribution, reference §11:
/// mean, variance and kurtosis within k = 5 standard errors, and the bounds. The expectations below are written from
/// the reference's formulas, not from the implementation.
/// </summary>
public class InitializerStatisticsTests
{
    private const int N = 1_000_000;
    private const double K = 5;

    /// <summary>Name → (family, mean, variance, lower bound, upper bound) for fans (in, out).</summary>
    internal static readonly Dictionary<string, Func<int, int, (Family Family, double Mean, double Variance, double Low, double High)>> Expected = new()
    {
        ["random_uniform"] = (i, o) => Uniform(-0.05, 0.05),
        ["torch_uniform"] = (i, o) => Uniform(0, 1),
        ["tutorial_large_random"] = (i, o) => Uniform(0, 1),
        ["random_normal"] = (i, o) => Normal(0.05),
        ["torch_normal"] = (i, o) => Normal(1),
        ["tutorial_small_random"] = (i, o) => Normal(0.0007),
        ["truncated_normal"] = (i, o) => (Family.Truncated, 0, 0.77374130354992325 * 0.05 * 0.05, -0.1, 0.1),
        ["trunc_normal"] = (i, o) => (Family.Truncated, 0, 0.77374130354992325, -2, 2),
        ["variance_scaling"] = (i, o) => CorrectedTruncated(1.0 / i),
        ["glorot_uniform"] = (i, o) => UniformLimit(Math.Sqrt(6.0 / (i + o))),
        ["glorot_normal"] = (i, o) => CorrectedTruncated(2.0 / (i + o)),
        ["xavier_normal"] = (i, o) => Normal(Math.Sqrt(2.0 / (i + o))),
        ["he_uniform"] = (i, o) => UniformLimit(Math.Sqrt(6.0 / i)),
        ["he_normal"] = (i, o) => CorrectedTruncated(2.0 / i),
        ["kaiming_uniform"] = (i, o) => UniformLimit(Math.Sqrt(2.0) * Math.Sqrt(3.0 / i)),
        ["kaiming_normal"] = (i, o) => Normal(Math.Sqrt(2.0) / Math.Sqrt(i)),
        ["lecun_uniform"] = (i, o) => UniformLimit(Math.Sqrt(3.0 / i)),
        ["lecun_normal"] = (i, o) => CorrectedTruncated(1.0 / i),
        ["torch_linear_default"] = (i, o) => UniformLimit(1 / Math.Sqrt(i)),
        ["sklearn_mlp"] = (i, o) => UniformLimit(Math.Sqrt(6.0 / (i + o))),
    };

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string name in Expected.Keys)
        {
            foreach ((int i, int o) in new[] { (256, 128), (784, 256), (30, 1000) })
            {
                data.Add(name, i, o);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fill_MillionDraws_MatchExactMomentsAndBounds(string name, int fanIn, int fanOut)
    {
        var (family, mean, variance, low, high) = Expected[name](fanIn, fanOut);
        var weights = new float[N];
        InitializerRegistry.Resolve(name).Fill(weights, [N], new Fans(fanIn, fanOut), new Rng(2024));
        Moments m = Moments.Of(weights);
        double sigma = Math.Sqrt(variance);
        double kappa = FamilyFacts.Kurtosis(family);
        Assert.True(Math.Abs(m.Mean - mean) <= K * sigma / Math.Sqrt(N), $"{name}: mean {m.Mean} vs {mean}");
        Assert.True(Math.Abs(m.Variance - variance) <= K * variance * Math.Sqrt((kappa - 1) / N), $"{name}: variance {m.Variance} vs {variance}");
        Assert.True(Math.Abs(m.Kurtosis - kappa) <= K * Math.Sqrt(FamilyFacts.KurtosisVarianceTimesN(family) / N), $"{name}: kurtosis {m.Kurtosis} vs {kappa}");
        Assert.All(weights, w => Assert.True(float.IsFinite(w)));
        if (family == Family.Normal)
        {
            // P(|x − μ| > 7σ) ≈ 2.6e-12 per draw.
            Assert.True(m.Max - mean < 7 * sigma && mean - m.Min < 7 * sigma, $"{name}: extreme {m.Min}..{m.Max}");
            return;
        }
        double tolerance = 1e-6 * Math.Max(Math.Abs(low), Math.Abs(high));
        Assert.True(m.Min >= low - tolerance && m.Max <= high + tolerance, $"{name}: {m.Min}..{m.Max} outside [{low}, {high}]");
        // The extremes come close to the bounds: the gap is exponential with mean 1/(N·density at the bound);
        // 15 means leave a false-alarm rate of 3e-7.
        double density = family == Family.Uniform
            ? 1 / (high - low)
            : 0.05399096651318805 / 0.9544997361036416 / ((high - low) / 4);
        Assert.True(high - m.Max <= 15 / (N * density) && m.Min - low <= 15 / (N * density), $"{name}: extremes {m.Min}..{m.Max} far from [{low}, {high}]");
    }

    [Fact]
    public void Families_AreDistinguished_HeNormalIsTruncated_KaimingNormalIsNot()
    {
        var he = new float[N];
        var kaiming = new float[N];
        InitializerRegistry.Resolve("he_normal").Fill(he, [N], new Fans(256, 128), new Rng(1));
        InitializerRegistry.Resolve("kaiming_normal").Fill(kaiming, [N], new Fans(256, 128), new Rng(1));
        Assert.Equal(2.3655, Moments.Of(he).Kurtosis, 1);
        Assert.Equal(3.0, Moments.Of(kaiming).Kurtosis, 1);
        Assert.Equal(Moments.Of(he).Variance, Moments.Of(kaiming).Variance, 4);
    }

    private static (Family, double, double, double, double) Uniform(double low, double high) =>
        (Family.Uniform, (low + high) / 2, (high - low) * (high - low) / 12, low, high);

    private static (Family, double, double, double, double) UniformLimit(double limit) => Uniform(-limit, limit);

    private static (Family, double, double, double, double) Normal(double std) => (Family.Normal, 0, std * std, double.NegativeInfinity, double.PositiveInfinity);

    // Keras/JAX truncated normal: target variance v exactly, cut at ±2σ₀ = ±2·√v/0.8796.
    private static (Family, double, double, double, double) CorrectedTruncated(double variance)
    {
        double bound = 2 * Math.Sqrt(variance) / 0.87962566103423975;
        return (Family.Truncated, 0, variance, -bound, bound);
    }
}
