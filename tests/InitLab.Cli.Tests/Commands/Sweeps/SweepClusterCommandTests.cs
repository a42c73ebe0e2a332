using System.Diagnostics;
using System.Text.Json;

namespace InitLab.Cli.Tests.Commands.Sweeps;

/// <summary>sweep create / worker --shard / merge / slurm: sharding a sweep and merging it gives what one process gives.</summary>
public sealed class SweepClusterCommandTests
{
    private static readonly string[] Grid =
        ["--depth", "1,2", "--width", "4", "--data", "moons", "--rows", "80", "--epochs", "1", "--seeds", "2"];

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRunner.Run(["sweep", .. args]);

    /// <summary>What a training computed, per (config hash, seed), in the export's order; wall time, ids, workers left out.</summary>
    private static List<string> Metrics(string jsonPath)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        return [.. json.RootElement.GetProperty("trials").EnumerateArray().Select(t =>
        {
            JsonElement result = t.GetProperty("result");
            var fields = result.EnumerateObject().Where(p => p.Name != "seconds").Select(p => $"{p.Name}={p.Value.GetRawText()}");
            return $"{t.GetProperty("config_hash").GetString()}/{t.GetProperty("seed").GetRawText()}/{t.GetProperty("status").GetString()}: {string.Join(" ", fields)}";
        })];
    }

    [Fact]
    public void ShardsThenMerge_SameTrialsOrderAndMetricsAsOneProcess()
    {
        using var temp = new TempDirectory();
        var single = Run(["run", .. Grid, "--store", temp.File("single.db"), "--name", "g"]);
        Assert.True(single.ExitCode == 0, single.Error);
        var slurm = Run(["slurm", "--store", temp.File("sharded.db"), "--name", "g", .. Grid, "--array", "0-2", "--script", temp.File("g.sbatch")]);
        Assert.True(slurm.ExitCode == 0, slurm.Error);
        Assert.True(File.Exists(temp.File("sharded.definition.json")));

        for (int i = 0; i < 3; i++)
        {
            var shard = Run(["worker", "--store", temp.File($"sharded.shard{i}.db"), "--name", "g", "--shard", $"{i}/3",
                "--definition", temp.File("sharded.definition.json")]);
            Assert.True(shard.ExitCode == 0, shard.Error);
            // 4 trials round-robin over 3 shards: positions 0,3 | 1 | 2.
            Assert.Contains($"shard {i}/3 of sweep 'g': {(i == 0 ? 2 : 1)} of its 4 trials", shard.Output, StringComparison.Ordinal);
        }
        var merge = Run(["merge", "--out", temp.File("merged.db"), temp.File("sharded.shard2.db"), temp.File("sharded.shard0.db"), temp.File("sharded.shard1.db")]);
        Assert.True(merge.ExitCode == 0, merge.Error);
        Assert.Contains("4 done, 0 failed, 0 still to run; 0 duplicate(s) with identical results; 0 conflict(s)", merge.Output, StringComparison.Ordinal);

        Assert.Equal(0, Run(["export", "--store", temp.File("single.db"), "--name", "g", "--json", temp.File("single.json")]).ExitCode);
        Assert.Equal(0, Run(["export", "--store", temp.File("merged.db"), "--name", "g", "--json", temp.File("merged.json")]).ExitCode);
        List<string> expected = Metrics(temp.File("single.json"));
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, Metrics(temp.File("merged.json")));
    }

    [Fact]
    public void Merge_OutputIsAnInput_RefusedAndInputUntouched()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, Run(["run", .. Grid, "--store", temp.File("a.db"), "--name", "g"]).ExitCode);
        byte[] before = File.ReadAllBytes(temp.File("a.db"));

        var result = Run(["merge", "--out", temp.File("a.db"), temp.File("a.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out:", result.Error, StringComparison.Ordinal);
        Assert.Contains("also an input", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(temp.File("a.db")));
    }

    [Fact]
    public void Merge_ExistingOutWithoutForce_RefusedNothingWritten()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, Run(["run", .. Grid, "--store", temp.File("a.db"), "--name", "g"]).ExitCode);
        File.WriteAllText(temp.File("out.db"), "keep me");

        var result = Run(["merge", "--out", temp.File("out.db"), temp.File("a.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--force", result.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(temp.File("out.db")));
        Assert.Equal(["a.db", "out.db"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Where(f => !f!.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void Merge_MissingInput_UsageErrorNamingIt()
    {
        using var temp = new TempDirectory();

        var result = Run(["merge", "--out", temp.File("m.db"), temp.File("nope.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.db", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("nope.db")));
        Assert.False(File.Exists(temp.File("m.db")));
    }

    [Theory]
    [InlineData("4/4", "0..3")]
    [InlineData("auto", "SLURM_ARRAY_TASK_ID")]
    public void Worker_BadShard_UsageErrorSaysWhatIsValid(string shard, string valid)
    {
        using var temp = new TempDirectory();
        Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", null);
        Environment.SetEnvironmentVariable("JOB_COMPLETION_INDEX", null);

        var result = Run(["worker", "--store", temp.File("s.db"), "--name", "g", "--shard", shard]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--shard", result.Error, StringComparison.Ordinal);
        Assert.Contains(valid, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_ShardOfNewStoreWithoutDefinition_SaysToGiveIt()
    {
        using var temp = new TempDirectory();

        var result = Run(["worker", "--store", temp.File("s.db"), "--name", "g", "--shard", "0/2"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--definition: required with --shard", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_ShardWithPostgres_RefusedBeforeConnecting()
    {
        var result = Run(["worker", "--store", "postgresql://u@%2Fno-such-initlab-dir:5/d", "--name", "g", "--shard", "0/2"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--shard: the store is PostgreSQL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Slurm_SqliteStore_ScriptRunsShardWorkersAndIsValidBash()
    {
        using var temp = new TempDirectory();

        var result = Run(["slurm", "--store", temp.File("depth.db"), "--name", "depth", .. Grid, "--array", "0-31%8", "--time", "90", "--partition", "cpu"]);

        Assert.True(result.ExitCode == 0, result.Error);
        string script = result.Output;
        Assert.StartsWith("#!/bin/bash\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --array=0-31%8\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --time=0-01:30:00\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --partition=cpu\n", script, StringComparison.Ordinal);
        Assert.Contains($"--store {temp.File("depth.shard")}\"${{SLURM_ARRAY_TASK_ID}}\".db", script, StringComparison.Ordinal);
        Assert.Contains("--shard auto --definition " + temp.File("depth.definition.json"), script, StringComparison.Ordinal);
        Assert.Contains($"initlab sweep merge --out {temp.File("depth.db")} {temp.File("depth.shard")}*.db", script, StringComparison.Ordinal);
        Assert.Contains("32 shard(s)", result.Error, StringComparison.Ordinal);
        File.WriteAllText(temp.File("check.sh"), script);
        using Process bash = Process.Start("bash", ["-n", temp.File("check.sh")])!;
        bash.WaitForExit();
        Assert.Equal(0, bash.ExitCode);
    }

    [Fact]
    public void Slurm_PostgresWithPassword_ScriptHasNoPassword()
    {
        // The server does not exist: sweep slurm must fail to connect, but say where without the password.
        var result = Run(["slurm", "--store", "postgresql://alice:hunter2@%2Fno-such-initlab-dir:5/sweeps", "--name", "d", "--array", "0-3"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("hunter2", result.Error + result.Output, StringComparison.Ordinal);
        Assert.Contains("postgresql://alice@%2Fno-such-initlab-dir:5/sweeps", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--array", "1,4,9", "comma lists")]
    [InlineData("--time", "1:2:3:4", "HH:MM:SS")]
    public void Slurm_BadFlag_UsageError(string flag, string value, string valid)
    {
        using var temp = new TempDirectory();
        string[] args = ["slurm", "--store", temp.File("d.db"), "--name", "d", .. Grid, .. flag == "--array" ? [] : new[] { "--array", "0-3" }, flag, value];

        var result = Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(flag + ":", result.Error, StringComparison.Ordinal);
        Assert.Contains(valid, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("d.definition.json")));
    }

    [Fact]
    public void Create_AddsTrialsRunsNone_WorkerThenRunsThem()
    {
        using var temp = new TempDirectory();

        var created = Run(["create", "--store", temp.File("c.db"), "--name", "g", .. Grid]);
        var status = Run(["status", "--store", temp.File("c.db"), "--name", "g"]);
        var worker = Run(["worker", "--store", temp.File("c.db"), "--name", "g"]);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("4 trials (4 new)", created.Output, StringComparison.Ordinal);
        Assert.Contains("0 done", status.Output, StringComparison.Ordinal);
        Assert.Contains("4 done, 0 failed", worker.Output, StringComparison.Ordinal);
    }
}
