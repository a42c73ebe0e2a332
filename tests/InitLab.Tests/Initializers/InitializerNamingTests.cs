using InitLab.Initializers;
using InitLab.Random;

namespace InitLab.Tests.Initializers;

/// <summary>Issue 13, item 6: the names users confuse (Keras's truncated vs PyTorch's untruncated normals) and the
/// names they search PyTorch's nn.Linear default under.</summary>
public class InitializerNamingTests
{
    private const int FanIn = 512, FanOut = 128, Count = FanIn * FanOut;

    /// <summary>Truncation bound in units of the target σ: ±2σ₀ with σ₀ = σ/0.87962566103423975 (std of N(0,1) cut to [−2, 2]).</summary>
    private const double TruncationBound = 2 / 0.87962566103423975;

    /// <summary>P(|Z| > 2.2737) for Z ~ N(0, 1) = erfc(2.2737/√2) (Python math.erfc).</summary>
    private const double UntruncatedTail = 0.022983;

    public static TheoryData<string, string, string[], double> Twins() => new()
    {
        // truncated (Keras), untruncated (PyTorch), its parameters, variance worked by hand for fans (512, 128)
        { "he_normal", "kaiming_normal", [], 2.0 / FanIn },
        { "glorot_normal", "xavier_normal", [], 2.0 / (FanIn + FanOut) },
        { "lecun_normal", "kaiming_normal", ["nonlinearity=linear"], 1.0 / FanIn },
    };

    [Theory]
    [MemberData(nameof(Twins))]
    public void Twins_SameVariance_OnlyTheUntruncatedHasTails(string truncated, string untruncated, string[] parameters, double variance)
    {
        float[] a = Draw(InitializerRegistry.Resolve(truncated), 11);
        float[] b = Draw(InitializerRegistry.Resolve(untruncated, InitializerParameters.Parse(parameters)), 12);
        double varianceTolerance = 5 * variance * Math.Sqrt(2.0 / Count); // 5 standard errors of a normal's sample variance
        Assert.InRange(MeanSquare(a), variance - varianceTolerance, variance + varianceTolerance);
        Assert.InRange(MeanSquare(b), variance - varianceTolerance, variance + varianceTolerance);
        double bound = TruncationBound * Math.Sqrt(variance);
        Assert.Equal(0, a.Count(w => Math.Abs(w) > bound * 1.0001));
        double tail = b.Count(w => Math.Abs(w) > bound) / (double)Count;
        double tailTolerance = 5 * Math.Sqrt(UntruncatedTail * (1 - UntruncatedTail) / Count);
        Assert.InRange(tail, UntruncatedTail - tailTolerance, UntruncatedTail + tailTolerance);
    }

    [Fact]
    public void SameVarianceDifferentDistribution_NamesAnotherEntry_BothWays_NeverAnAlias()
    {
        var withTwin = InitializerRegistry.Entries.Where(e => e.SameVarianceDifferentDistribution is not null).ToList();
        Assert.Equal(["glorot_normal", "xavier_normal", "he_normal", "kaiming_normal", "lecun_normal"], withTwin.Select(e => e.Name));
        foreach (InitializerInfo entry in withTwin)
        {
            string twin = entry.SameVarianceDifferentDistribution!.Split(':')[0].Split('(')[0];
            InitializerInfo other = InitializerRegistry.Find(twin);
            Assert.NotEqual(entry.Name, other.Name);
            Assert.DoesNotContain(twin, entry.Aliases);
            Assert.NotNull(other.SameVarianceDifferentDistribution);
        }
    }

    [Theory]
    [InlineData("pytorch default")]
    [InlineData("pytorch_default")]
    [InlineData("torch_default")]
    [InlineData("Torch-Default")]
    [InlineData("nn.Linear")]
    [InlineData("kaiming_uniform a=sqrt(5)")]
    [InlineData("kaiming_uniform(a=sqrt(5))")]
    [InlineData("glorot_bengio_standard")]
    [InlineData("xavier_standard")]
    public void Find_NamesUsersSearchForPyTorchsLinearDefault_ResolveToTorchLinearDefault(string spelling) =>
        Assert.Equal("torch_linear_default", InitializerRegistry.Find(spelling).Name);

    [Fact]
    public void KaimingUniformASqrt5_IsTheSameDistributionAsTorchLinearDefault()
    {
        // The alias is legitimate only if the distributions agree: gain = √(2/(1 + a²)) = √(1/3) at a = √5, so the bound
        // gain·√(3/fan_in) = 1/√fan_in, which is Glorot & Bengio's eq. 1 and PyTorch's nn.Linear default.
        double bound = 1 / Math.Sqrt(FanIn);
        float[] kaiming = Draw(InitializerRegistry.Resolve("kaiming_uniform", InitializerParameters.Parse([$"a={Math.Sqrt(5)}"])), 21);
        float[] standard = Draw(InitializerRegistry.Resolve("glorot_bengio_standard"), 22);
        foreach (float[] w in new[] { kaiming, standard })
        {
            double max = w.Max(v => Math.Abs(v));
            Assert.InRange(max, 0.999 * bound, bound * 1.000001);
            double variance = bound * bound / 3, tolerance = 5 * Math.Sqrt((1.8 - 1) / Count) * variance; // uniform kurtosis 1.8
            Assert.InRange(MeanSquare(w), variance - tolerance, variance + tolerance);
        }
    }

    private static float[] Draw(IInitializer initializer, ulong seed)
    {
        var w = new float[Count];
        initializer.Fill(w, [FanIn, FanOut], new Fans(FanIn, FanOut), new Rng(seed));
        return w;
    }

    private static double MeanSquare(float[] w) => w.Average(v => (double)v * v);
}
