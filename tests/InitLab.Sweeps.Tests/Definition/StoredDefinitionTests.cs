using InitLab.Sweeps.Definition;

namespace InitLab.Sweeps.Tests.Definition;

public sealed class StoredDefinitionTests
{
    [Fact]
    public void Parse_ToJsonOfADefinition_SameJsonAndSameTrialsInOrder()
    {
        SweepDefinition original = SweepSpecFile.Parse(
            "seeds: [3, 1]\naxes:\n  activation: [tanh, relu]\n  depth: [5, 2, 10]\nfixed:\n  epochs: 2\n  data: digits\n", json: false);

        SweepDefinition back = StoredDefinition.Parse(original.ToJson());

        Assert.Equal(original.ToJson(), back.ToJson());
        Assert.Equal(original.Expand(), back.Expand());
        Assert.Equal(12, back.Expand().Count());
    }

    [Theory]
    [InlineData("not json", "not readable")]
    [InlineData("{\"fixed\":{},\"seeds\":[1]}", "no 'axes' array")]
    [InlineData("{\"axes\":[],\"fixed\":{},\"seeds\":[-1]}", "not readable")]
    [InlineData("{\"axes\":[{\"name\":\"depth\",\"values\":[true]}],\"fixed\":{},\"seeds\":[1]}", "True")]
    public void Parse_NotAStoredDefinition_SaysWhat(string json, string what)
    {
        var error = Assert.Throws<ArgumentException>(() => StoredDefinition.Parse(json));

        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }
}
