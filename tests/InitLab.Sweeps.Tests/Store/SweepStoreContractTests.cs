using System.Collections.Concurrent;
using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Tests.Store;

/// <summary>The <see cref="ISweepStore"/> contract, run against every store (SQLite here, PostgreSQL in its own subclass).</summary>
/// <remarks>xUnit makes a new instance per test: a subclass gives each instance a fresh, empty store, and every
/// <see cref="CreateStore"/> call of that instance returns a new connection (a new "process") to that same store.</remarks>
public abstract class SweepStoreContractTests
{
    private static readonly TimeSpan LongLease = TimeSpan.FromHours(1);

    /// <summary>A new connection to this test's store (fresh and empty at the test's first call).</summary>
    protected abstract ISweepStore CreateStore();

    private static TrialSpec Spec(string init, int depth, ulong seed) =>
        new(new Dictionary<string, string> { ["init"] = init, ["depth"] = depth.ToString(System.Globalization.CultureInfo.InvariantCulture) }, seed);

    private static TrialResult Result(double testAccuracy = 0.5) =>
        new(1.25, 3, 0.3, 0.9, 0.4, testAccuracy, "healthy", "signal kept", "[{\"epoch\":1}]", "[]");

    [Fact]
    public void EnsureSweep_SameNameTwice_SameSweepWithTheNewDefinition()
    {
        using ISweepStore store = CreateStore();

        SweepInfo first = store.EnsureSweep("depth", "{\"v\":1}");
        SweepInfo second = store.EnsureSweep("depth", "{\"v\":2}");
        SweepInfo other = store.EnsureSweep("width", "{}");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("{\"v\":2}", second.DefinitionJson);
        Assert.Equal(first.CreatedUtc, second.CreatedUtc);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(second, store.FindSweep("depth"));
        Assert.Null(store.FindSweep("nope"));
        Assert.Equal(["depth", "width"], store.Sweeps().Select(s => s.Name));
    }

    [Fact]
    public void EnsureSweep_SeenFromAnotherConnection_SameSweep()
    {
        using ISweepStore a = CreateStore();
        using ISweepStore b = CreateStore();

        SweepInfo created = a.EnsureSweep("shared", "{}");

        Assert.Equal(created, b.FindSweep("shared"));
        Assert.Equal(created.Id, b.EnsureSweep("shared", "{}").Id);
    }

    [Fact]
    public void AddTrials_SameTrialsTwice_SecondAddsNothing()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        TrialSpec[] grid = [Spec("he_normal", 2, 1), Spec("he_normal", 2, 2), Spec("glorot_uniform", 2, 1)];

        int first = store.AddTrials(sweep, grid);
        int again = store.AddTrials(sweep, grid.Reverse());
        int extended = store.AddTrials(sweep, [.. grid, Spec("he_normal", 5, 1)]);

        Assert.Equal(3, first);
        Assert.Equal(0, again);
        Assert.Equal(1, extended);
        Assert.Equal(4, store.Trials(sweep).Count);
    }

    [Fact]
    public void AddTrials_DuplicateWithinOneCall_AddedOnce()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;

        int added = store.AddTrials(sweep, [Spec("he_normal", 2, 1), Spec("he_normal", 2, 1)]);

        Assert.Equal(1, added);
        Assert.Single(store.Trials(sweep));
    }

    [Fact]
    public void AddTrials_SameTrialInTwoSweeps_OnePerSweep()
    {
        using ISweepStore store = CreateStore();
        long a = store.EnsureSweep("a", "{}").Id;
        long b = store.EnsureSweep("b", "{}").Id;

        Assert.Equal(1, store.AddTrials(a, [Spec("he_normal", 2, 1)]));
        Assert.Equal(1, store.AddTrials(b, [Spec("he_normal", 2, 1)]));
        Assert.NotEqual(store.Trials(a)[0].Id, store.Trials(b)[0].Id);
    }

    [Fact]
    public void Trials_AfterAdd_PendingInGivenOrderWithSettingsAndSeedsIntact()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        var odd = new TrialSpec(new Dictionary<string, string> { ["note"] = "é \"quoted\" \\ tab\t", ["lr"] = "0.001" }, ulong.MaxValue);
        TrialSpec[] grid = [Spec("zeta", 9, 0), odd, Spec("alpha", 1, 7)];

        store.AddTrials(sweep, grid);
        IReadOnlyList<TrialRecord> trials = store.Trials(sweep);

        Assert.Equal(grid, trials.Select(t => t.Spec));
        Assert.Equal(grid.Select(g => g.ConfigHash), trials.Select(t => t.Spec.ConfigHash));
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialStatus.Pending, t.Status);
            Assert.Equal(0, t.Attempts);
            Assert.Equal(sweep, t.SweepId);
            Assert.Null(t.Result);
            Assert.Null(t.Worker);
        });
        Assert.True(trials[0].Id < trials[1].Id && trials[1].Id < trials[2].Id);
    }

    [Fact]
    public void Claim_Pending_InIdOrderThenNull()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1), Spec("b", 1, 1)]);

        TrialRecord? first = store.Claim(sweep, "w1", LongLease, 3);
        TrialRecord? second = store.Claim(sweep, "w1", LongLease, 3);
        TrialRecord? none = store.Claim(sweep, "w2", LongLease, 3);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal("a", first.Spec["init"]);
        Assert.Equal("b", second.Spec["init"]);
        Assert.Equal(TrialStatus.Running, first.Status);
        Assert.Equal(1, first.Attempts);
        Assert.Equal("w1", first.Worker);
        Assert.NotNull(first.HeartbeatUtc);
        Assert.Null(none);
    }

    [Fact]
    public void Claim_OtherSweep_NotHandedOut()
    {
        using ISweepStore store = CreateStore();
        long a = store.EnsureSweep("a", "{}").Id;
        long b = store.EnsureSweep("b", "{}").Id;
        store.AddTrials(a, [Spec("a", 1, 1)]);

        Assert.Null(store.Claim(b, "w", LongLease, 3));
        Assert.NotNull(store.Claim(a, "w", LongLease, 3));
    }

    [Fact]
    public void Claim_ManyConnectionsAtOnce_EveryTrialClaimedExactlyOnce()
    {
        const int trialCount = 200;
        const int workers = 8;
        long sweep;
        using (ISweepStore setup = CreateStore())
        {
            sweep = setup.EnsureSweep("race", "{}").Id;
            setup.AddTrials(sweep, Enumerable.Range(0, trialCount).Select(i => Spec("he_normal", i, 1)));
        }
        var claims = new ConcurrentBag<(long Trial, string Worker)>();
        using var start = new Barrier(workers);

        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            using ISweepStore store = CreateStore();
            string name = $"w{w}";
            start.SignalAndWait();
            while (store.Claim(sweep, name, LongLease, 3) is TrialRecord claimed)
            {
                claims.Add((claimed.Id, name));
            }
        });

        Assert.Equal(trialCount, claims.Count);
        Assert.Equal(trialCount, claims.Select(c => c.Trial).Distinct().Count());
        using ISweepStore check = CreateStore();
        Assert.All(check.Trials(sweep), t =>
        {
            Assert.Equal(TrialStatus.Running, t.Status);
            Assert.Equal(1, t.Attempts);
            Assert.Equal(claims.Single(c => c.Trial == t.Id).Worker, t.Worker);
        });
    }

    [Fact]
    public void Claim_LeaseExpired_ReclaimedByAnotherWorkerWithAttemptsIncremented()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);
        TimeSpan lease = TimeSpan.FromMilliseconds(150);

        TrialRecord first = store.Claim(sweep, "dead", lease, 3)!;
        Thread.Sleep(600);
        TrialRecord? again = store.Claim(sweep, "alive", lease, 3);

        Assert.NotNull(again);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.Attempts);
        Assert.Equal("alive", again.Worker);
        Assert.Equal(TrialStatus.Running, again.Status);
    }

    [Fact]
    public void Claim_LeaseNotExpired_NotReclaimed()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);

        store.Claim(sweep, "busy", LongLease, 3);
        Thread.Sleep(50);

        Assert.Null(store.Claim(sweep, "other", LongLease, 3));
    }

    [Fact]
    public void Heartbeat_CurrentClaim_KeepsTheLeaseAlive()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);
        TimeSpan lease = TimeSpan.FromSeconds(2);

        TrialRecord claimed = store.Claim(sweep, "w", lease, 3)!;
        Thread.Sleep(1500);
        bool renewed = store.Heartbeat(claimed.Id, "w", claimed.Attempts);
        Thread.Sleep(1000);

        // 2.5 s after the claim but 1 s after the heartbeat: still leased.
        Assert.True(renewed);
        Assert.Null(store.Claim(sweep, "other", lease, 3));
        TrialRecord now = store.Trials(sweep)[0];
        Assert.True(now.HeartbeatUtc > claimed.HeartbeatUtc);
    }

    [Fact]
    public void Claim_MaxAttemptsUsedUp_TrialFailsWithTheReason()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);
        TimeSpan lease = TimeSpan.FromMilliseconds(100);

        TrialRecord? first = store.Claim(sweep, "w1", lease, 2);
        Thread.Sleep(400);
        TrialRecord? second = store.Claim(sweep, "w2", lease, 2);
        Thread.Sleep(400);
        TrialRecord? third = store.Claim(sweep, "w3", lease, 2);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(2, second.Attempts);
        Assert.Null(third);
        TrialRecord failed = store.Trials(sweep)[0];
        Assert.Equal(TrialStatus.Failed, failed.Status);
        Assert.Equal(2, failed.Attempts);
        Assert.NotNull(failed.Error);
        Assert.Contains("2 claims", failed.Error, StringComparison.Ordinal);
        Assert.Contains("w2", failed.Error, StringComparison.Ordinal);
        Assert.NotNull(failed.FinishedUtc);
    }

    [Fact]
    public void Complete_CurrentClaim_DoneWithTheResultBitExact()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);
        TrialRecord claimed = store.Claim(sweep, "w", LongLease, 3)!;
        double nanWithPayload = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0123);
        var result = new TrialResult(0.1 + 0.2, 17, double.NaN, -0.0, double.PositiveInfinity, double.Epsilon, "diverged",
            "loss became NaN at epoch 3 — \"exploding\" ✓", "[{\"epoch\":1,\"loss\":1e-300,\"note\":\"ü\\n\"}]",
            "[{\"layer\":0,\"std\":0.1}]");
        var other = result with { TrainLoss = nanWithPayload, TestLoss = double.NegativeInfinity, Seconds = double.MaxValue };

        Assert.True(store.Complete(claimed.Id, "w", claimed.Attempts, result));
        store.AddTrials(sweep, [Spec("b", 1, 1)]);
        TrialRecord second = store.Claim(sweep, "w", LongLease, 3)!;
        Assert.True(store.Complete(second.Id, "w", second.Attempts, other));

        using ISweepStore reader = CreateStore();
        IReadOnlyList<TrialRecord> trials = reader.Trials(sweep);
        AssertBitExact(result, trials[0].Result);
        AssertBitExact(other, trials[1].Result);
        Assert.Equal(TrialStatus.Done, trials[0].Status);
        Assert.NotNull(trials[0].FinishedUtc);
        Assert.Null(trials[0].Error);
    }

    private static void AssertBitExact(TrialResult expected, TrialResult? actual)
    {
        Assert.NotNull(actual);
        double[] want = [expected.Seconds, expected.TrainLoss, expected.TrainAccuracy, expected.TestLoss, expected.TestAccuracy];
        double[] got = [actual.Seconds, actual.TrainLoss, actual.TrainAccuracy, actual.TestLoss, actual.TestAccuracy];
        Assert.Equal(want.Select(BitConverter.DoubleToInt64Bits), got.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Epochs, actual.Epochs);
        Assert.Equal(expected.Verdict, actual.Verdict);
        Assert.Equal(expected.VerdictReason, actual.VerdictReason);
        Assert.Equal(expected.HistoryJson, actual.HistoryJson);
        Assert.Equal(expected.InitLayersJson, actual.InitLayersJson);
    }

    [Fact]
    public void Fail_CurrentClaim_FailedWithTheReasonAndNotHandedOutAgain()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);
        TrialRecord claimed = store.Claim(sweep, "w", LongLease, 3)!;

        Assert.True(store.Fail(claimed.Id, "w", claimed.Attempts, "activation: unknown 'relux'. Did you mean 'relu'?"));

        TrialRecord failed = store.Trials(sweep)[0];
        Assert.Equal(TrialStatus.Failed, failed.Status);
        Assert.Equal("activation: unknown 'relux'. Did you mean 'relu'?", failed.Error);
        Assert.Null(failed.Result);
        Assert.Null(store.Claim(sweep, "w", TimeSpan.Zero, 3));
    }

    [Fact]
    public void Fencing_StaleAttemptAfterReclaim_EveryWriteRefusedAndNothingWritten()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);
        TimeSpan lease = TimeSpan.FromMilliseconds(100);
        TrialRecord stale = store.Claim(sweep, "w", lease, 5)!;
        Thread.Sleep(400);
        // The same worker name reclaims it: only the attempt number tells the two claims apart.
        TrialRecord current = store.Claim(sweep, "w", lease, 5)!;
        TrialRecord before = store.Trials(sweep)[0];

        Assert.False(store.Heartbeat(stale.Id, "w", stale.Attempts));
        Assert.False(store.Complete(stale.Id, "w", stale.Attempts, Result()));
        Assert.False(store.Fail(stale.Id, "w", stale.Attempts, "stale"));
        Assert.False(store.Complete(current.Id, "intruder", current.Attempts, Result()));

        Assert.Equal(before, store.Trials(sweep)[0]);
        Assert.True(store.Complete(current.Id, "w", current.Attempts, Result(0.75)));
        Assert.Equal(0.75, store.Trials(sweep)[0].Result!.TestAccuracy);
    }

    [Fact]
    public void Fencing_AfterComplete_SecondCompleteAndFailRefused()
    {
        using ISweepStore store = CreateStore();
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [Spec("a", 1, 1)]);
        TrialRecord claimed = store.Claim(sweep, "w", LongLease, 3)!;

        Assert.True(store.Complete(claimed.Id, "w", claimed.Attempts, Result(0.25)));
        Assert.False(store.Complete(claimed.Id, "w", claimed.Attempts, Result(0.99)));
        Assert.False(store.Fail(claimed.Id, "w", claimed.Attempts, "late"));
        Assert.False(store.Heartbeat(claimed.Id, "w", claimed.Attempts));

        TrialRecord done = store.Trials(sweep)[0];
        Assert.Equal(TrialStatus.Done, done.Status);
        Assert.Equal(0.25, done.Result!.TestAccuracy);
        Assert.Null(store.Claim(sweep, "w", TimeSpan.Zero, 3));
    }
}
