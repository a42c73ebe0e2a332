using InitLab.Sweeps;

namespace InitLab.Sweeps.Tests;

public sealed class TrialSpecTests
{
    [Fact]
    public void CanonicalText_SortsByOrdinalName_OneLinePerSetting()
    {
        var spec = new TrialSpec(new Dictionary<string, string> { ["width"] = "64", ["activation"] = "tanh", ["Depth"] = "5" }, 3);

        // Ordinal order puts the capital 'D' (0x44) before 'a' (0x61).
        Assert.Equal("Depth=5\nactivation=tanh\nwidth=64\n", spec.CanonicalText());
    }

    [Fact]
    public void ConfigHash_IgnoresSeedAndInsertionOrder_ChangesWithAnyValue()
    {
        var a = new TrialSpec(new Dictionary<string, string> { ["init"] = "he_normal", ["depth"] = "5" }, 1);
        var b = new TrialSpec(new Dictionary<string, string> { ["depth"] = "5", ["init"] = "he_normal" }, 2);
        var c = new TrialSpec(new Dictionary<string, string> { ["depth"] = "6", ["init"] = "he_normal" }, 1);

        Assert.Equal(a.ConfigHash, b.ConfigHash);
        Assert.NotEqual(a.ConfigHash, c.ConfigHash);
        Assert.Matches("^[0-9a-f]{32}$", a.ConfigHash);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b")]
    [InlineData("a\nb")]
    public void Constructor_BadName_NamesIt(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new TrialSpec(new Dictionary<string, string> { [name] = "1" }, 1));
        Assert.Contains("setting name", error.Message, StringComparison.Ordinal);
    }
}
