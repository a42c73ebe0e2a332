using InitLab.Sweeps.Cluster;

namespace InitLab.Sweeps.Tests.Cluster;

public sealed class SlurmArrayTests
{
    [Theory]
    [InlineData("0-31%8", 0, 31, 1, 8, 32)]
    [InlineData("0-31", 0, 31, 1, null, 32)]
    [InlineData("1-32", 1, 32, 1, null, 32)]
    [InlineData("0-62:2%4", 0, 62, 2, 4, 32)]
    [InlineData("0-10:3", 0, 9, 3, null, 4)]   // ids 0, 3, 6, 9: the end rounds down onto the step
    [InlineData("5", 5, 5, 1, null, 1)]
    public void Parse_Forms_TaskCountWorkedByHand(string text, int first, int last, int step, int? limit, int tasks)
    {
        SlurmArray array = SlurmArray.Parse(text);

        Assert.Equal((first, last, step, limit), (array.First, array.Last, array.Step, array.Limit));
        Assert.Equal(tasks, array.TaskCount);
    }

    [Theory]
    [InlineData("0-31%8")]
    [InlineData("0-62:2%4")]
    [InlineData("7")]
    public void ToString_CanonicalForm_RoundTrips(string text) => Assert.Equal(text, SlurmArray.Parse(text).ToString());

    [Theory]
    [InlineData("1,4,9", "comma lists")]
    [InlineData("31-0", "ends before it starts")]
    [InlineData("0-31%0", "≥ 1")]
    [InlineData("0-31:0", "≥ 1")]
    [InlineData("0-99999999999", "too large")]
    [InlineData("", "FIRST-LAST")]
    [InlineData("a-b", "FIRST-LAST")]
    public void Parse_Invalid_SaysWhy(string text, string why)
    {
        var error = Assert.Throws<ArgumentException>(() => SlurmArray.Parse(text));

        Assert.Equal("array", error.ParamName);
        Assert.StartsWith("array:", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
