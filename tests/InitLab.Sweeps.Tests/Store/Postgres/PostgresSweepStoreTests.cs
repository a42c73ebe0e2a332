using System.Collections.Concurrent;
using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Tests.Store.Postgres;

/// <summary>What the PostgreSQL store adds to the shared contract: many connections racing, server time, migration and
/// the bit-exact round trip of what a bigint and a double precision column hold.</summary>
public sealed class PostgresSweepStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [PostgresFact]
    public void Claim_EightRacingWorkers_EveryTrialDoneExactlyOnce()
    {
        using var database = new PostgresTestDatabase();
        const int trialCount = 120;
        long sweepId;
        using (PostgresSweepStore setup = database.OpenStore())
        {
            sweepId = setup.EnsureSweep("race", "{}").Id;
            setup.AddTrials(sweepId, Enumerable.Range(0, trialCount).Select(i => Spec(i % 10, (ulong)(i / 10))));
        }
        var claims = new ConcurrentBag<(long TrialId, string Worker)>();

        // Each worker its own store (its own pool), as separate processes would be; all start claiming together.
        using var start = new Barrier(8);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
        {
            using PostgresSweepStore store = database.OpenStore();
            string worker = $"w{w}";
            start.SignalAndWait();
            while (store.Claim(sweepId, worker, Lease, 3) is TrialRecord trial)
            {
                claims.Add((trial.Id, worker));
                Assert.True(store.Complete(trial.Id, worker, trial.Attempts, Result(trial.Id)));
            }
        });

        using PostgresSweepStore check = database.OpenStore();
        IReadOnlyList<TrialRecord> trials = check.Trials(sweepId);
        Assert.Equal(trialCount, trials.Count);
        Assert.Equal(trialCount, claims.Count);
        Assert.Equal(trialCount, claims.Select(c => c.TrialId).Distinct().Count());
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialStatus.Done, t.Status);
            Assert.Equal(1, t.Attempts);
            Assert.Equal(claims.Single(c => c.TrialId == t.Id).Worker, t.Worker);
        });
    }

    [PostgresFact]
    public void Claim_LeaseMeasuredOnServerClock_ExpiresOnlyWhenHeartbeatOlder()
    {
        using var database = new PostgresTestDatabase();
        using PostgresSweepStore store = database.OpenStore();
        long sweepId = store.EnsureSweep("lease", "{}").Id;
        store.AddTrials(sweepId, [Spec(1, 1)]);
        TrialRecord first = store.Claim(sweepId, "a", Lease, 3)!;

        // The heartbeat is 40 s old by the server's clock, whatever this machine's clock says.
        database.Execute("UPDATE initlab_trials SET heartbeat_utc = now() - interval '40 seconds'");

        Assert.Null(store.Claim(sweepId, "b", TimeSpan.FromSeconds(60), 3));
        TrialRecord second = store.Claim(sweepId, "b", TimeSpan.FromSeconds(30), 3)!;
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal("b", second.Worker);
        Assert.False(store.Heartbeat(first.Id, "a", first.Attempts));
        Assert.False(store.Complete(first.Id, "a", first.Attempts, Result(1)));
        Assert.True(store.Complete(second.Id, "b", second.Attempts, Result(2)));
        Assert.Equal(2.0, store.Trials(sweepId).Single().Result!.Seconds);
    }

    [PostgresFact]
    public void Complete_RestartedWorkerWithSameName_OldAttemptFenced()
    {
        // A Kubernetes pod or Slurm task restarted after a kill comes back under the same name: only the attempt tells its
        // two claims apart, so the stale process (still finishing, say, after a network partition) must lose.
        using var database = new PostgresTestDatabase();
        using PostgresSweepStore store = database.OpenStore();
        long sweepId = store.EnsureSweep("restart", "{}").Id;
        store.AddTrials(sweepId, [Spec(1, 1)]);
        TrialRecord first = store.Claim(sweepId, "job-3", Lease, 3)!;
        database.Execute("UPDATE initlab_trials SET heartbeat_utc = now() - interval '1 hour'");
        TrialRecord second = store.Claim(sweepId, "job-3", Lease, 3)!;

        Assert.False(store.Heartbeat(first.Id, "job-3", first.Attempts));
        Assert.False(store.Fail(first.Id, "job-3", first.Attempts, "stale"));
        Assert.False(store.Complete(first.Id, "job-3", first.Attempts, Result(1)));
        Assert.True(store.Complete(second.Id, "job-3", second.Attempts, Result(2)));
        Assert.Equal(2.0, store.Trials(sweepId).Single().Result!.Seconds);
    }

    [PostgresFact]
    public void Claim_ExpiredAtMaxAttempts_FailsWithReasonInsteadOfRetrying()
    {
        using var database = new PostgresTestDatabase();
        using PostgresSweepStore store = database.OpenStore();
        long sweepId = store.EnsureSweep("exhaust", "{}").Id;
        store.AddTrials(sweepId, [Spec(1, 1)]);
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal(attempt, store.Claim(sweepId, $"w{attempt}", Lease, 2)!.Attempts);
            database.Execute("UPDATE initlab_trials SET heartbeat_utc = now() - interval '1 hour'");
        }

        Assert.Null(store.Claim(sweepId, "w3", Lease, 2));

        TrialRecord trial = store.Trials(sweepId).Single();
        Assert.Equal(TrialStatus.Failed, trial.Status);
        Assert.Equal(2, trial.Attempts);
        Assert.Contains("2 claims", trial.Error, StringComparison.Ordinal);
        Assert.Contains("w2", trial.Error, StringComparison.Ordinal);
        Assert.NotNull(trial.FinishedUtc);
    }

    [PostgresFact]
    public void Open_TwelveWorkersAtOnce_MigrateOnce()
    {
        using var database = new PostgresTestDatabase();
        using var start = new Barrier(12);

        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 12 }, _ =>
        {
            start.SignalAndWait();
            using PostgresSweepStore store = database.OpenStore();
            store.EnsureSweep("same", "{}");
        });

        using PostgresSweepStore check = database.OpenStore();
        Assert.Single(check.Sweeps());
        database.Execute("DO $$ BEGIN IF (SELECT count(*) FROM initlab_schema_version) <> 1 OR (SELECT version FROM initlab_schema_version) <> 1 " +
            "THEN RAISE EXCEPTION 'schema version table is not exactly one row 1'; END IF; END $$");
    }

    [PostgresFact]
    public void Open_NewerSchema_RefusesNamingBothVersions()
    {
        using var database = new PostgresTestDatabase();
        database.OpenStore().Dispose();
        database.Execute("UPDATE initlab_schema_version SET version = 7");

        var error = Assert.Throws<SweepStoreException>(database.OpenStore);

        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains($"({PostgresSchema.CurrentVersion})", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [PostgresFact]
    public void Trials_SeedAboveLongMaxAndNonFiniteMetrics_RoundTripBitForBit()
    {
        using var database = new PostgresTestDatabase();
        using PostgresSweepStore store = database.OpenStore();
        long sweepId = store.EnsureSweep("bits", "{}").Id;
        const ulong seed = 0xFEDC_BA98_7654_3210;
        store.AddTrials(sweepId, [Spec(3, seed)]);
        TrialRecord claimed = store.Claim(sweepId, "w", Lease, 1)!;
        var result = new TrialResult(0.1 + 0.2, 7, double.NaN, double.Epsilon, double.PositiveInfinity, 1.0 / 3.0, "diverged",
            "loss became NaN at epoch 7", "[{\"epoch\":1}]", "[]");

        Assert.True(store.Complete(claimed.Id, "w", claimed.Attempts, result));

        TrialRecord back = store.Trials(sweepId).Single();
        Assert.Equal(seed, back.Spec.Seed);
        Assert.Equal(Spec(3, seed).ConfigHash, back.Spec.ConfigHash);
        TrialResult stored = back.Result!;
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.1 + 0.2), BitConverter.DoubleToInt64Bits(stored.Seconds));
        Assert.True(double.IsNaN(stored.TrainLoss));
        Assert.Equal(double.Epsilon, stored.TrainAccuracy);
        Assert.Equal(double.PositiveInfinity, stored.TestLoss);
        Assert.Equal(BitConverter.DoubleToInt64Bits(1.0 / 3.0), BitConverter.DoubleToInt64Bits(stored.TestAccuracy));
        Assert.Equal(result with { TrainLoss = stored.TrainLoss }, stored with { TrainLoss = result.TrainLoss });
    }

    [PostgresFact]
    public void Trials_SettingsEditedBehindTheStore_HashMismatchReported()
    {
        using var database = new PostgresTestDatabase();
        using PostgresSweepStore store = database.OpenStore();
        long sweepId = store.EnsureSweep("edited", "{}").Id;
        store.AddTrials(sweepId, [Spec(5, 1)]);
        database.Execute("UPDATE initlab_trials SET settings = jsonb_set(settings, '{depth}', '\"6\"')");

        var error = Assert.Throws<SweepStoreException>(() => store.Trials(sweepId));

        Assert.Contains("does not match its settings", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void AddTrials_UnknownSweepId_NamesItAndAddsNothing()
    {
        using var database = new PostgresTestDatabase();
        using PostgresSweepStore store = database.OpenStore();
        long sweepId = store.EnsureSweep("real", "{}").Id;

        var error = Assert.Throws<ArgumentException>(() => store.AddTrials(sweepId + 41, [Spec(1, 1), Spec(2, 1)]));

        Assert.Equal("sweepId", error.ParamName);
        Assert.Contains($"no sweep with id {sweepId + 41}", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.Trials(sweepId + 41));
    }

    [Fact]
    public void Open_UnreachableServer_NamesLocationWithoutPassword()
    {
        // Port 1 on a socket directory that does not exist: refused at once, no timeout to wait for.
        var error = Assert.Throws<SweepStoreException>(() =>
            new PostgresSweepStore("postgresql://u:hunter2@%2Fnonexistent-initlab:1/d"));

        Assert.Contains("postgresql://u@%2Fnonexistent-initlab:1/d", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    private static TrialSpec Spec(int depth, ulong seed) =>
        new(new Dictionary<string, string> { ["init"] = "he_normal", ["depth"] = depth.ToString(System.Globalization.CultureInfo.InvariantCulture) }, seed);

    private static TrialResult Result(double seconds) => new(seconds, 1, 0.5, 0.9, 0.6, 0.8, "healthy", "ok", "[]", "[]");
}
