using System.Globalization;
using InitLab.Sweeps.Running;
using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Tests.Running;

public sealed class SweepWorkerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("initlab-worker-").FullName;

    private string DatabasePath => Path.Combine(folder, "sweep.db");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static TrialResult Fake(TrialSpec spec) =>
        new(0.01, 1, 0.5, 0.5, 0.5, double.Parse(spec["depth"]!, CultureInfo.InvariantCulture) / 100, "healthy", "fake", "[]", "[]");

    private (SqliteSweepStore Store, long Sweep) Setup(int trials)
    {
        var store = new SqliteSweepStore(DatabasePath);
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, Enumerable.Range(1, trials).Select(d =>
            new TrialSpec(new Dictionary<string, string> { ["depth"] = d.ToString(CultureInfo.InvariantCulture) }, 1)));
        return (store, sweep);
    }

    [Fact]
    public void Run_AllTrials_EachDoneOnceWithItsResult()
    {
        (SqliteSweepStore store, long sweep) = Setup(5);
        using (store)
        {
            var events = new List<string>();
            var worker = new SweepWorker(store, sweep, "w", new WorkerOptions { Runner = (spec, _, _) => Fake(spec) });

            WorkerSummary summary = worker.Run(e => events.Add(e.Kind));

            Assert.Equal(5, summary.Done);
            Assert.Equal(0, summary.Failed + summary.Lost);
            Assert.Equal(10, events.Count);
            Assert.All(store.Trials(sweep), t =>
            {
                Assert.Equal(TrialStatus.Done, t.Status);
                Assert.Equal(1, t.Attempts);
                Assert.Equal(double.Parse(t.Spec["depth"]!, CultureInfo.InvariantCulture) / 100, t.Result!.TestAccuracy);
            });
            Assert.True(summary.StoreCalls >= 11);
            Assert.True(summary.StoreSeconds > 0);
        }
    }

    [Fact]
    public void Run_BadSettings_TrialFailedWithTheMessageAndTheWorkerGoesOn()
    {
        (SqliteSweepStore store, long sweep) = Setup(3);
        using (store)
        {
            var worker = new SweepWorker(store, sweep, "w", new WorkerOptions
            {
                Runner = (spec, _, _) => spec["depth"] == "2" ? throw new ArgumentException("activation: Unknown activation 'relux'. Did you mean 'relu'?") : Fake(spec),
            });

            WorkerSummary summary = worker.Run();

            Assert.Equal((2, 1), (summary.Done, summary.Failed));
            TrialRecord failed = store.Trials(sweep).Single(t => t.Status == TrialStatus.Failed);
            Assert.Equal("2", failed.Spec["depth"]);
            Assert.Equal("activation: Unknown activation 'relux'. Did you mean 'relu'?", failed.Error);
        }
    }

    [Fact]
    public void Run_TrialLongerThanTheLease_HeartbeatsKeepTheClaim()
    {
        (SqliteSweepStore store, long sweep) = Setup(1);
        using (store)
        using (var rival = new SqliteSweepStore(DatabasePath))
        {
            TimeSpan lease = TimeSpan.FromMilliseconds(1500);
            TrialRecord? stolen = null;
            var worker = new SweepWorker(store, sweep, "w", new WorkerOptions
            {
                Lease = lease,
                HeartbeatInterval = TimeSpan.FromMilliseconds(150),
                Runner = (spec, _, _) =>
                {
                    for (int i = 0; i < 8 && stolen is null; i++)
                    {
                        Thread.Sleep(500);
                        stolen = rival.Claim(sweep, "rival", lease, 3);
                    }
                    return Fake(spec);
                },
            });

            WorkerSummary summary = worker.Run();

            // 4 s of trial against a 1.5 s lease: only the heartbeats kept the rival out.
            Assert.Null(stolen);
            Assert.Equal(1, summary.Done);
            Assert.Equal(1, store.Trials(sweep)[0].Attempts);
        }
    }

    [Fact]
    public void Run_ClaimTakenOverMidTrial_NothingWrittenByTheLoser()
    {
        (SqliteSweepStore store, long sweep) = Setup(1);
        using (store)
        using (var rival = new SqliteSweepStore(DatabasePath))
        {
            TimeSpan lease = TimeSpan.FromMilliseconds(150);
            TrialRecord? stolen = null;
            var worker = new SweepWorker(store, sweep, "w", new WorkerOptions
            {
                Lease = lease,
                HeartbeatInterval = TimeSpan.FromHours(1), // a stalled worker: no beat in time
                Runner = (spec, _, _) =>
                {
                    Thread.Sleep(500);
                    stolen = rival.Claim(sweep, "rival", lease, 3);
                    Assert.True(rival.Complete(stolen!.Id, "rival", stolen.Attempts, Fake(stolen.Spec) with { Verdict = "winner" }));
                    return Fake(spec) with { Verdict = "loser" };
                },
            });

            WorkerSummary summary = worker.Run();

            Assert.NotNull(stolen);
            Assert.Equal((0, 1), (summary.Done, summary.Lost));
            Assert.Equal(2, stolen.Attempts);
            Assert.Equal("winner", store.Trials(sweep)[0].Result!.Verdict);
        }
    }

    [Fact]
    public void Run_Stopped_TrialInFlightLeftToItsLease()
    {
        (SqliteSweepStore store, long sweep) = Setup(2);
        using (store)
        using (var stop = new CancellationTokenSource())
        {
            var worker = new SweepWorker(store, sweep, "w", new WorkerOptions
            {
                Runner = (_, _, token) =>
                {
                    stop.Cancel();
                    token.ThrowIfCancellationRequested();
                    throw new InvalidOperationException("unreachable");
                },
            });

            var events = new List<string>();
            WorkerSummary summary = worker.Run(e => events.Add(e.Kind), stop.Token);

            Assert.Equal(["claimed", "stopped"], events);
            Assert.Equal(0, summary.Done + summary.Failed + summary.Lost);
            IReadOnlyList<TrialRecord> trials = store.Trials(sweep);
            Assert.Equal([TrialStatus.Running, TrialStatus.Pending], trials.Select(t => t.Status));
            Assert.Null(trials[0].Result);
        }
    }

    [Fact]
    public void Run_AnotherWorkerDiesHoldingATrial_WaitsAndReclaimsItAfterTheLease()
    {
        (SqliteSweepStore store, long sweep) = Setup(2);
        using (store)
        using (var dead = new SqliteSweepStore(DatabasePath))
        {
            TimeSpan lease = TimeSpan.FromSeconds(1);
            TrialRecord held = dead.Claim(sweep, "dead", lease, 3)!;
            var worker = new SweepWorker(store, sweep, "w", new WorkerOptions
            {
                Lease = lease,
                IdlePoll = TimeSpan.FromMilliseconds(100),
                Runner = (spec, _, _) => Fake(spec),
            });

            WorkerSummary summary = worker.Run();

            // The worker ran the free trial, then waited for the dead worker's lease instead of leaving its trial behind.
            Assert.Equal(2, summary.Done);
            TrialRecord reclaimed = store.Trials(sweep).Single(t => t.Id == held.Id);
            Assert.Equal((TrialStatus.Done, 2, "w"), (reclaimed.Status, reclaimed.Attempts, reclaimed.Worker));
        }
    }
}
