using InitLab.Common;
using InitLab.Initializers;
using InitLab.Persistence;
using InitLab.Random;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Initializers;

public class InitializerRegistryTests
{
    /// <summary>Entries whose checks are deterministic rather than statistical.</summary>
    private static readonly HashSet<string> s_structured =
        ["zeros", "ones", "constant", "orthogonal", "identity", "dirac", "delta_orthogonal", "sparse", "lsuv", "tutorial_zero", "tutorial_constant"];

    public static TheoryData<string> Names() => [.. InitializerRegistry.Names];

    [Fact]
    public void EveryEntry_IsCoveredByAStatisticalOrStructuredTest()
    {
        var covered = InitializerStatisticsTests.Expected.Keys.Concat(s_structured).ToHashSet();
        Assert.Equal(InitializerRegistry.Names.Order(), covered.Order());
    }

    [Fact]
    public void Docs_ListEveryEntry()
    {
        string docs = File.ReadAllText(RepositoryRoot.Combine("docs", "initializers.md"));
        Assert.All(InitializerRegistry.Names, name => Assert.Contains($"`{name}`", docs, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeed_SameTensor_DifferentSeed_Different_ConfigRoundTripSame(string name)
    {
        var (shape, fans) = ShapeFor(name);
        IInitializer initializer = Create(name);
        float[] a = Fill(initializer, shape, fans, 5);
        Assert.Equal(a, Fill(initializer, shape, fans, 5));
        IInitializer rebuilt = InitializerJson.FromJson(InitializerJson.ToJson(initializer));
        Assert.Equal(initializer.Name, rebuilt.Name);
        Assert.Equal(a, Fill(rebuilt, shape, fans, 5));
        bool deterministic = s_structured.Contains(name) && name is not ("orthogonal" or "delta_orthogonal" or "sparse" or "lsuv");
        if (!deterministic)
        {
            Assert.NotEqual(a, Fill(initializer, shape, fans, 6));
        }
    }

    [Theory]
    [InlineData("He_Normal", "he_normal")]
    [InlineData("HeNormal", "he_normal")]
    [InlineData("kaiming_normal_", "kaiming_normal")]
    [InlineData("xavier_uniform_", "glorot_uniform")]
    [InlineData("glorot_normal_", "xavier_normal")]
    [InlineData("uniform", "random_uniform")]
    [InlineData("uniform_", "torch_uniform")]
    [InlineData("normal_", "torch_normal")]
    [InlineData("eye_", "identity")]
    [InlineData("OrthogonalInitializer", "orthogonal")]
    public void Find_AcceptsFrameworkSpellings_KeepingTheirSemantics(string spelling, string canonical) =>
        Assert.Equal(canonical, InitializerRegistry.Find(spelling).Name);

    [Fact]
    public void Resolve_MisspelledName_SuggestsNearestAndListsAll()
    {
        var ex = Assert.Throws<UnknownNameException>(() => InitializerRegistry.Resolve("he_normel"));
        Assert.Contains("Unknown initializer 'he_normel'. Did you mean 'he_normal'? Valid: ", ex.Message, StringComparison.Ordinal);
        Assert.All(InitializerRegistry.Names, n => Assert.Contains(n, ex.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("variance_scaling", "scale=-1", "scale", "must be finite and > 0, got -1")]
    [InlineData("variance_scaling", "scale=0", "scale", "must be finite and > 0, got 0")]
    [InlineData("random_normal", "std=0", "stdDev", "must be finite and > 0, got 0")]
    [InlineData("orthogonal", "gain=-2", "gain", "must be finite and > 0, got -2")]
    [InlineData("random_uniform", "min=1,max=1", "max", "max must be > min, got min=1, max=1")]
    [InlineData("trunc_normal", "a=2,b=-2", "lower", "a must be < b, got a=2, b=-2")]
    [InlineData("sparse", "sparsity=1", "sparsity", "sparsity must be in [0, 1), got 1")]
    [InlineData("sparse", "sparsity=-0.1", "sparsity", "sparsity must be in [0, 1), got -0.1")]
    [InlineData("kaiming_normal", "mode=fan_avg", "mode", "mode must be fan_in or fan_out")]
    [InlineData("he_normal", "gain=2", "gain", "unknown parameter 'gain'; it takes no parameters")]
    [InlineData("variance_scaling", "distribution=cauchy", "distribution", "distribution must be truncated_normal, untruncated_normal or uniform")]
    public void Resolve_BadParameter_NamesParameterValueAndRange(string name, string parameters, string paramName, string expected)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => InitializerRegistry.Resolve(name, InitializerParameters.Parse(parameters.Split(','))));
        Assert.Equal(paramName, ex.ParamName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orthogonal", new[] { 5 }, "at least 2 dimensions, got shape [5]")]
    [InlineData("identity", new[] { 2, 2, 2 }, "needs a 2-D tensor, got shape [2, 2, 2]")]
    [InlineData("dirac", new[] { 4, 4 }, "needs a 3-, 4- or 5-D convolution kernel, got shape [4, 4]")]
    [InlineData("sparse", new[] { 3, 3, 3 }, "needs a 2-D tensor")]
    [InlineData("delta_orthogonal", new[] { 3, 8, 4 }, "needs in <= out channels, got in=8, out=4")]
    public void Fill_ShapeItCannotFill_SaysWhy(string name, int[] shape, string expected)
    {
        IInitializer initializer = Create(name);
        var ex = Assert.ThrowsAny<ArgumentException>(() => initializer.Fill(new float[shape.Aggregate(1, (a, b) => a * b)], shape, Fans.FromShape(shape, WeightLayout.Keras), new Rng(1)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_FanOfZero_NamesTheFan()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VarianceScaling.HeNormal().Fill(new float[4], [4], new Fans(0, 4), new Rng(1)));
        Assert.Contains("fan_in is 0", ex.Message, StringComparison.Ordinal);
    }

    internal static IInitializer Create(string name) =>
        name == "sparse" ? InitializerRegistry.Resolve(name, InitializerParameters.Parse(["sparsity=0.5"])) : InitializerRegistry.Resolve(name);

    private static (int[] Shape, Fans Fans) ShapeFor(string name) => name switch
    {
        "dirac" or "delta_orthogonal" => ([3, 3, 4, 6], new Fans(36, 54)),
        _ => ([12, 10], new Fans(12, 10)),
    };

    private static float[] Fill(IInitializer initializer, int[] shape, Fans fans, ulong seed)
    {
        var w = new float[shape.Aggregate(1, (a, b) => a * b)];
        initializer.Fill(w, shape, fans, new Rng(seed));
        return w;
    }
}
