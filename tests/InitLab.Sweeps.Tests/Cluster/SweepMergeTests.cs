using System.Globalization;
using InitLab.Sweeps.Cluster;
using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Tests.Cluster;

public sealed class SweepMergeTests : IDisposable
{
    private const string Definition = "{\"depth\":[1,2,3,4,5],\"seeds\":2}";
    private static readonly TimeSpan Lease = TimeSpan.FromHours(1);
    private readonly string folder = Directory.CreateTempSubdirectory("initlab-merge-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>The test's stand-in for the sweep expansion: depth 1..5 × seeds 1..2, depth outer.</summary>
    private static IReadOnlyList<TrialSpec> Expand(string definition)
    {
        Assert.Equal(Definition, definition);
        return [.. from depth in Enumerable.Range(1, 5) from seed in new ulong[] { 1, 2 } select Spec(depth, seed)];
    }

    private static TrialSpec Spec(int depth, ulong seed) =>
        new(new Dictionary<string, string> { ["depth"] = depth.ToString(CultureInfo.InvariantCulture), ["init"] = "he_normal" }, seed);

    /// <summary>A deterministic stand-in for a training: metrics from the settings and seed; the wall time varies per run.</summary>
    private static TrialResult Train(TrialSpec spec, double seconds)
    {
        double depth = double.Parse(spec["depth"]!, CultureInfo.InvariantCulture);
        return new TrialResult(seconds, 3, 1.0 / depth, 1.0 - (1.0 / (depth + spec.Seed)), 1.0 / (depth + 1), Math.Sqrt(depth) / 3,
            "healthy", "kept", $"[{{\"epoch\":3,\"loss\":{1.0 / depth:R}}}]", "[]");
    }

    private SqliteSweepStore Store(string name) => new(Path.Combine(folder, name));

    /// <summary>Adds the trials and runs every one of them with <see cref="Train"/>, as a worker would.</summary>
    private static void RunAll(SqliteSweepStore store, IEnumerable<TrialSpec> trials, double seconds, string worker = "w")
    {
        long sweep = store.EnsureSweep("depth", Definition).Id;
        store.AddTrials(sweep, trials);
        while (store.Claim(sweep, worker, Lease, 3) is TrialRecord trial)
        {
            Assert.True(store.Complete(trial.Id, worker, trial.Attempts, Train(trial.Spec, seconds)));
        }
    }

    private static SweepMergeReport Merge(SqliteSweepStore output, params ISweepStore[] inputs) =>
        SweepMerge.Merge([.. inputs.Select(s => (Path.GetFileName(s.Location), s))], output, Expand);

    [Fact]
    public void Merge_ThreeShards_SameTrialsOrderAndMetricsAsOneStore()
    {
        using SqliteSweepStore single = Store("single.db");
        RunAll(single, Expand(Definition), seconds: 1);
        SqliteSweepStore[] shards = [.. Enumerable.Range(0, 3).Select(i => Store($"shard{i}.db"))];
        for (int i = 0; i < 3; i++)
        {
            RunAll(shards[i], new SweepShard(i, 3).Select(Expand(Definition)), seconds: 2 + i, worker: $"slurm-{i}");
        }
        using SqliteSweepStore merged = Store("merged.db");

        SweepMergeReport report = Merge(merged, shards[2], shards[0], shards[1]);

        Assert.Equal(new SweepMergeReport(1, 10, 0, 0, 0, 0, []), report with { Conflicts = [] });
        Assert.Empty(report.Conflicts);
        IReadOnlyList<TrialRecord> expected = single.Trials(single.FindSweep("depth")!.Id);
        IReadOnlyList<TrialRecord> actual = merged.Trials(merged.FindSweep("depth")!.Id);
        Assert.Equal(expected.Select(t => t.Spec), actual.Select(t => t.Spec));
        Assert.All(expected.Zip(actual), pair => Assert.Empty(SweepMerge.DifferingMetrics(pair.First.Result!, pair.Second.Result!)));
        // Each trial keeps the worker and wall time its shard recorded: trial k ran in shard k mod 3.
        Assert.Equal(Enumerable.Range(0, 10).Select(k => $"slurm-{k % 3}"), actual.Select(t => t.Worker));
        Assert.Equal(Enumerable.Range(0, 10).Select(k => 2.0 + (k % 3)), actual.Select(t => t.Result!.Seconds));
        Assert.Equal(Definition, merged.FindSweep("depth")!.DefinitionJson);
        foreach (SqliteSweepStore shard in shards)
        {
            shard.Dispose();
        }
    }

    [Fact]
    public void Merge_MissingShardAndKilledWorker_TrialsPendingAndClaimableInMergedStore()
    {
        using SqliteSweepStore shard0 = Store("shard0.db");
        RunAll(shard0, new SweepShard(0, 2).Select(Expand(Definition)).Take(4), seconds: 1);
        long sweep = shard0.FindSweep("depth")!.Id;
        shard0.AddTrials(sweep, new SweepShard(0, 2).Select(Expand(Definition)));
        TrialRecord killed = shard0.Claim(sweep, "killed", Lease, 3)!;   // its worker never finishes
        using SqliteSweepStore merged = Store("merged.db");

        SweepMergeReport report = Merge(merged, shard0);

        // Shard 0 holds positions 0, 2, 4, 6, 8: four done, one left running; shard 1 (five trials) was never run.
        Assert.Equal((4, 0, 6), (report.Done, report.Failed, report.Pending));
        long mergedSweep = merged.FindSweep("depth")!.Id;
        TrialRecord again = merged.Trials(mergedSweep).Single(t => t.Spec == killed.Spec);
        Assert.Equal(TrialStatus.Pending, again.Status);
        Assert.Null(again.Worker);
        var claimed = new List<TrialSpec>();
        while (merged.Claim(mergedSweep, "finisher", Lease, 3) is TrialRecord trial)
        {
            claimed.Add(trial.Spec);
            merged.Complete(trial.Id, "finisher", trial.Attempts, Train(trial.Spec, 1));
        }
        Assert.Equal(6, claimed.Count);
        Assert.Contains(killed.Spec, claimed);
        Assert.All(merged.Trials(mergedSweep), t => Assert.Equal(TrialStatus.Done, t.Status));
    }

    [Fact]
    public void Merge_SameTrialDifferentMetrics_ConflictFirstLabelKeptWhateverTheInputOrder()
    {
        TrialSpec spec = Spec(3, 1);
        using SqliteSweepStore a = Store("a.db");
        using SqliteSweepStore b = Store("b.db");
        RunAll(a, [spec], seconds: 1);
        long sweepB = b.EnsureSweep("depth", Definition).Id;
        b.AddTrials(sweepB, [spec]);
        TrialRecord claim = b.Claim(sweepB, "w", Lease, 3)!;
        b.Complete(claim.Id, "w", claim.Attempts, Train(spec, 1) with { TestAccuracy = 0.123, HistoryJson = "[]" });

        foreach (ISweepStore[] order in new[] { new ISweepStore[] { a, b }, [b, a] })
        {
            using SqliteSweepStore merged = Store($"merged-{Guid.NewGuid():N}.db");
            SweepMergeReport report = Merge(merged, order);

            SweepMergeConflict conflict = Assert.Single(report.Conflicts);
            Assert.Equal("a.db", conflict.Kept);
            Assert.Equal(["b.db"], conflict.Others);
            Assert.Equal("test_accuracy, history", conflict.Difference);
            Assert.Equal(spec, conflict.Spec);
            TrialRecord kept = merged.Trials(merged.FindSweep("depth")!.Id).Single(t => t.Spec == spec);
            Assert.Equal(Train(spec, 1).TestAccuracy, kept.Result!.TestAccuracy);
        }
    }

    [Fact]
    public void Merge_SameTrialSameMetricsOtherWallTime_DuplicateNotConflict()
    {
        TrialSpec spec = Spec(2, 2);
        using SqliteSweepStore a = Store("a.db");
        using SqliteSweepStore b = Store("b.db");
        RunAll(a, [spec], seconds: 1);
        RunAll(b, [spec], seconds: 5);
        using SqliteSweepStore merged = Store("merged.db");

        SweepMergeReport report = Merge(merged, a, b);

        Assert.Equal(1, report.Duplicates);
        Assert.Empty(report.Conflicts);
        Assert.Equal(1, report.Done);
    }

    [Fact]
    public void Merge_DoneInOneFailedInOther_DoneKeptAndReported()
    {
        TrialSpec spec = Spec(4, 1);
        using SqliteSweepStore a = Store("a.db");
        using SqliteSweepStore b = Store("b.db");
        long sweepA = a.EnsureSweep("depth", Definition).Id;
        a.AddTrials(sweepA, [spec]);
        TrialRecord claim = a.Claim(sweepA, "w", Lease, 3)!;
        a.Fail(claim.Id, "w", claim.Attempts, "out of memory");
        RunAll(b, [spec], seconds: 1);
        using SqliteSweepStore merged = Store("merged.db");

        SweepMergeReport report = Merge(merged, a, b);

        SweepMergeConflict conflict = Assert.Single(report.Conflicts);
        Assert.Equal("b.db", conflict.Kept);
        Assert.Contains("failed in a.db (out of memory)", conflict.Difference, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.Done, merged.Trials(merged.FindSweep("depth")!.Id).Single(t => t.Spec == spec).Status);
    }

    [Fact]
    public void Merge_DifferentDefinitions_RefusedNamingBothFilesNothingWritten()
    {
        using SqliteSweepStore a = Store("a.db");
        using SqliteSweepStore b = Store("b.db");
        RunAll(a, [Spec(1, 1)], seconds: 1);
        b.EnsureSweep("depth", "{\"depth\":[1,2]}");
        b.AddTrials(b.FindSweep("depth")!.Id, [Spec(1, 1)]);
        using SqliteSweepStore merged = Store("merged.db");

        var error = Assert.Throws<ArgumentException>(() => SweepMerge.Merge([("a.db", a), ("b.db", b)], merged));

        Assert.Contains("'depth'", error.Message, StringComparison.Ordinal);
        Assert.Contains("b.db", error.Message, StringComparison.Ordinal);
        Assert.Contains("a.db", error.Message, StringComparison.Ordinal);
        Assert.Empty(merged.Sweeps());
    }

    [Fact]
    public void Merge_TrialOutsideTheDefinition_KeptAfterAndCounted()
    {
        using SqliteSweepStore a = Store("a.db");
        RunAll(a, [Spec(9, 1), Spec(1, 1)], seconds: 1);
        using SqliteSweepStore merged = Store("merged.db");

        SweepMergeReport report = Merge(merged, a);

        Assert.Equal(1, report.NotInDefinition);
        IReadOnlyList<TrialRecord> trials = merged.Trials(merged.FindSweep("depth")!.Id);
        Assert.Equal(11, trials.Count);
        Assert.Equal(Spec(9, 1), trials[^1].Spec);
        Assert.Equal(Spec(1, 1), trials[0].Spec);
    }

    [Fact]
    public void ImportTrials_SqliteRecord_KeepsWorkerAttemptsTimesAndNonFiniteBits()
    {
        using SqliteSweepStore source = Store("source.db");
        long sweep = source.EnsureSweep("s", "{}").Id;
        source.AddTrials(sweep, [Spec(1, ulong.MaxValue)]);
        Assert.NotNull(source.Claim(sweep, "a", Lease, 3));
        Thread.Sleep(20);
        // A zero lease: the first claim has expired, so the second claim takes the trial over as attempt 2.
        TrialRecord second = source.Claim(sweep, "b", TimeSpan.Zero, 3)!;
        var result = new TrialResult(-0.0, 2, double.NaN, double.NegativeInfinity, 1e-310, 0.1, "diverged", "NaN", "[]", "[]");
        source.Complete(second.Id, "b", second.Attempts, result);
        TrialRecord original = source.Trials(sweep).Single();
        using SqliteSweepStore target = Store("target.db");
        long targetSweep = target.EnsureSweep("s", "{}").Id;

        Assert.Equal(1, target.ImportTrials(targetSweep, [original]));
        Assert.Equal(0, target.ImportTrials(targetSweep, [original]));

        TrialRecord back = target.Trials(targetSweep).Single();
        Assert.Equal(original with { Id = back.Id, SweepId = targetSweep, Result = back.Result }, back);
        Assert.Equal(2, back.Attempts);
        Assert.Equal("b", back.Worker);
        Assert.Equal(ulong.MaxValue, back.Spec.Seed);
        Assert.Empty(SweepMerge.DifferingMetrics(result, back.Result!));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(back.Result!.Seconds));
    }
}
