using InitLab.Sweeps.Cluster;

namespace InitLab.Sweeps.Tests.Cluster;

public sealed class SweepShardTests
{
    [Fact]
    public void Select_ThreeShardsOfTenTrials_RoundRobinDisjointAndComplete()
    {
        int[] trials = [.. Enumerable.Range(0, 10)];

        int[][] shards = [.. Enumerable.Range(0, 3).Select(i => new SweepShard(i, 3).Select(trials).ToArray())];

        // Worked by hand: positions ≡ i (mod 3).
        Assert.Equal([0, 3, 6, 9], shards[0]);
        Assert.Equal([1, 4, 7], shards[1]);
        Assert.Equal([2, 5, 8], shards[2]);
    }

    [Fact]
    public void Select_OneShard_IsTheWholeSweep() =>
        Assert.Equal([5, 6, 7], new SweepShard(0, 1).Select(new[] { 5, 6, 7 }));

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/8", 3, 8)]
    [InlineData("31/32", 31, 32)]
    public void Parse_IndexSlashCount_RoundTrips(string text, int index, int count)
    {
        SweepShard shard = SweepShard.Parse(text);

        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal(text, shard.ToString());
    }

    [Theory]
    [InlineData("8/8", "0..7")]
    [InlineData("0/0", "≥ 1")]
    [InlineData("3", "INDEX/COUNT")]
    [InlineData("-1/4", "INDEX/COUNT")]
    [InlineData("1/2/3", "INDEX/COUNT")]
    [InlineData("a/4", "INDEX/COUNT")]
    public void Parse_Malformed_NamesParameterValueAndWhatIsValid(string text, string valid)
    {
        var error = Assert.Throws<ArgumentException>(() => SweepShard.Parse(text));

        Assert.Equal("shard", error.ParamName);
        Assert.StartsWith("shard:", error.Message, StringComparison.Ordinal);
        Assert.Contains(valid, error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_SlurmArrayFromOne_IndexIsOffsetFromMin()
    {
        var env = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "5", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "32" };

        Assert.Equal(new SweepShard(4, 32), SweepShard.FromEnvironment(Lookup(env)));
    }

    [Fact]
    public void FromEnvironment_SlurmArrayWithStep_IndexDividedByStep()
    {
        // --array=0-62:2 gives task ids 0, 2, …, 62: 32 tasks.
        var env = new Dictionary<string, string>
        {
            ["SLURM_ARRAY_TASK_ID"] = "62", ["SLURM_ARRAY_TASK_MIN"] = "0", ["SLURM_ARRAY_TASK_STEP"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "32",
        };

        Assert.Equal(new SweepShard(31, 32), SweepShard.FromEnvironment(Lookup(env)));
    }

    [Fact]
    public void FromEnvironment_KubernetesIndex_CountFromVariableOrFlag()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "7", ["INITLAB_SHARD_COUNT"] = "16" };

        Assert.Equal(new SweepShard(7, 16), SweepShard.FromEnvironment(Lookup(env)));
        Assert.Equal(new SweepShard(7, 8), SweepShard.FromEnvironment(Lookup(env), count: 8));
    }

    [Fact]
    public void FromEnvironment_KubernetesIndexWithoutCount_SaysWhatToSet()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "7" };

        var error = Assert.Throws<ArgumentException>(() => SweepShard.FromEnvironment(Lookup(env)));

        Assert.Contains("INITLAB_SHARD_COUNT", error.Message, StringComparison.Ordinal);
        Assert.Equal("count", error.ParamName);
        Assert.Contains("pass the shard count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_IndexBeyondCount_NamesTheVariable()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "9", ["INITLAB_SHARD_COUNT"] = "4" };

        var error = Assert.Throws<ArgumentException>(() => SweepShard.FromEnvironment(Lookup(env)));

        Assert.Equal("environment", error.ParamName);
        Assert.Contains("0..3", error.Message, StringComparison.Ordinal);
        Assert.Contains("JOB_COMPLETION_INDEX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_NoArrayVariables_Null() =>
        Assert.Null(SweepShard.FromEnvironment(_ => null));

    private static Func<string, string?> Lookup(Dictionary<string, string> env) => name => env.GetValueOrDefault(name);
}
