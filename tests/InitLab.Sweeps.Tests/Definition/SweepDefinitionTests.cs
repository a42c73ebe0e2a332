using InitLab.Sweeps.Definition;

namespace InitLab.Sweeps.Tests.Definition;

public sealed class SweepDefinitionTests
{
    private static KeyValuePair<string, IReadOnlyList<string>> S(string name, params string[] values) => KeyValuePair.Create(name, (IReadOnlyList<string>)values);

    [Fact]
    public void Expand_TwoAxesTwoSeeds_SeedsOutermostLastAxisFastest()
    {
        SweepDefinition definition = SweepDefinition.Create(
            [S("init", "he_normal", "glorot_uniform"), S("depth", "2", "5"), S("data", "moons")], [1, 2]);

        string[] trials = [.. definition.Expand().Select(t => $"{t["init"]}/{t["depth"]}/{t.Seed}")];

        // Worked by hand from the documented order.
        Assert.Equal(
        [
            "he_normal/2/1", "he_normal/5/1", "glorot_uniform/2/1", "glorot_uniform/5/1",
            "he_normal/2/2", "he_normal/5/2", "glorot_uniform/2/2", "glorot_uniform/5/2",
        ], trials);
        Assert.Equal(8, definition.TrialCount);
        Assert.Equal(4, definition.ConfigurationCount);
        Assert.All(definition.Expand(), t => Assert.Equal("moons", t["data"]));
    }

    [Fact]
    public void Expand_NoAxes_OneTrialPerSeed()
    {
        SweepDefinition definition = SweepDefinition.Create([S("depth", "3")], SweepDefinition.SeedRange(3));

        Assert.Empty(definition.Axes);
        Assert.Equal([1UL, 2UL, 3UL], definition.Expand().Select(t => t.Seed));
        Assert.Equal("3", definition.Fixed["depth"]);
    }

    [Fact]
    public void Expand_SeedsOfOneConfiguration_ShareTheConfigHash()
    {
        SweepDefinition definition = SweepDefinition.Create([S("depth", "2", "5")], [1, 2]);
        TrialSpec[] trials = [.. definition.Expand()];

        Assert.Equal(trials[0].ConfigHash, trials[2].ConfigHash);
        Assert.NotEqual(trials[0].ConfigHash, trials[1].ConfigHash);
    }

    [Fact]
    public void Create_SameNumberWrittenTwoWays_OneCanonicalValue()
    {
        TrialSpec a = SweepDefinition.Create([S("lr", "0.001")], [1]).Expand().Single();
        TrialSpec b = SweepDefinition.Create([S("lr", "1e-3")], [1]).Expand().Single();

        Assert.Equal(a.ConfigHash, b.ConfigHash);
        Assert.Equal("0.001", b["lr"]);
        var error = Assert.Throws<ArgumentException>(() => SweepDefinition.Create([S("lr", "0.001", "1E-3")], [1]));
        Assert.Contains("given twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InitializerAlias_StoredAsItsCanonicalName()
    {
        SweepDefinition definition = SweepDefinition.Create([S("init", "xavier_uniform", "He_Normal")], [1]);

        Assert.Equal(["glorot_uniform", "he_normal"], definition.Axes[0].Values);
    }

    [Theory]
    [InlineData("activaton", "activation")]
    [InlineData("--batch_size", null)]
    [InlineData("sigma_w2", null)]
    public void Create_SettingName_KnownOrNearestSuggested(string typed, string? suggestion)
    {
        if (suggestion is null)
        {
            SweepDefinition ok = SweepDefinition.Create([S(typed, "4")], [1]);
            Assert.Single(ok.Fixed);
            return;
        }
        var error = Assert.Throws<Common.UnknownNameException>(() => SweepDefinition.Create([S(typed, "relu")], [1]));
        Assert.Contains($"Did you mean '{suggestion}'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownInitializer_NamesTheSettingAndSuggests()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => SweepDefinition.Create([S("init", "he_normal", "glorot_unifrom")], [1]));

        Assert.StartsWith("init:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'glorot_uniform'?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("depth", "0", "whole number >= 1")]
    [InlineData("lr", "-0.1", "finite number > 0")]
    [InlineData("sigma-b2", "NaN", "finite number >= 0")]
    [InlineData("test-fraction", "1", "(0, 1)")]
    [InlineData("data", "moonz", "Did you mean 'moons'?")]
    [InlineData("activation", "tahn", "Did you mean 'tanh'?")]
    public void Create_BadValue_NamesSettingValueAndWhatIsValid(string name, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => SweepDefinition.Create([S(name, value)], [1]));

        Assert.StartsWith(name + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sigma-w2", "init")]
    [InlineData("layers", "depth")]
    [InlineData("sigma-b2", "bias-init")]
    public void Create_ExclusiveSettings_Refused(string a, string b)
    {
        string Value(string name) => name switch { "init" => "he_normal", "bias-init" => "zeros", "layers" => "2,8,1", _ => "1" };

        var error = Assert.Throws<ArgumentException>(() => SweepDefinition.Create([S(a, Value(a)), S(b, Value(b))], [1]));

        Assert.Contains($"{a} and {b} cannot both be set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MoreThanMaxTrials_RefusedBeforeExpanding()
    {
        string[] many = [.. Enumerable.Range(1, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

        var error = Assert.Throws<ArgumentException>(() => SweepDefinition.Create([S("depth", many), S("width", many)], [1, 2]));

        Assert.Contains("1,000,000", error.Message, StringComparison.Ordinal);
        Assert.Contains("1000 depth × 1000 width × 2 seeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RepeatedSeedOrNone_Refused()
    {
        Assert.Contains("repeats a seed", Assert.Throws<ArgumentException>(() => SweepDefinition.Create([S("depth", "2")], [3, 3])).Message, StringComparison.Ordinal);
        Assert.Contains("none given", Assert.Throws<ArgumentException>(() => SweepDefinition.Create([S("depth", "2")], [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_AxesFixedSeeds()
    {
        SweepDefinition definition = SweepDefinition.Create([S("depth", "2", "5"), S("data", "iris")], [4, 9]);

        Assert.Equal("{\"axes\":[{\"name\":\"depth\",\"values\":[\"2\",\"5\"]}],\"fixed\":{\"data\":\"iris\"},\"seeds\":[4,9]}", definition.ToJson());
    }
}
