using System.Diagnostics;
using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Running;

/// <summary>Claims trials of one sweep one at a time, runs them, and records the results, until nothing is left.</summary>
/// <remarks>
/// While a trial runs, a timer renews its lease every <see cref="WorkerOptions.EffectiveHeartbeat"/>; if a heartbeat
/// finds the claim gone (another worker reclaimed the trial after this one stalled), the trial is cancelled and nothing is
/// written. Stopping (Ctrl+C) cancels the trial in flight without writing: its lease runs out and another worker, or the
/// next run, takes it again. Bad settings and unexpected exceptions fail the trial with the message; the worker goes on.
/// The worker ends when no trial is pending and none is held by another worker.
/// </remarks>
public sealed class SweepWorker
{
    private readonly ISweepStore store;
    private readonly long sweepId;
    private readonly string name;
    private readonly WorkerOptions options;
    private long storeTicks;
    private int storeCalls;

    /// <summary>Creates a worker.</summary>
    /// <param name="store">The store (its calls must be safe from the heartbeat timer's thread; the built-in stores are).</param>
    /// <param name="sweepId">The sweep.</param>
    /// <param name="name">This worker's name, e.g. host:pid.</param>
    /// <param name="options">Lease, attempts, threads.</param>
    public SweepWorker(ISweepStore store, long sweepId, string name, WorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        this.store = store;
        this.sweepId = sweepId;
        this.name = name;
        this.options = options ?? new WorkerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(this.options.Lease, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(this.options.EffectiveHeartbeat, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxAttempts, 1, nameof(options));
    }

    /// <summary>The default worker name: host:pid.</summary>
    public static string DefaultName => $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Runs until the sweep has nothing left for this worker, or <paramref name="stop"/> is signalled.</summary>
    /// <param name="onEvent">Progress (called on this thread).</param>
    /// <param name="stop">Stop claiming and abandon the trial in flight (its lease gives it back).</param>
    /// <returns>What it did.</returns>
    public WorkerSummary Run(Action<WorkerEvent>? onEvent = null, CancellationToken stop = default)
    {
        int done = 0, failed = 0, lost = 0;
        double trialSeconds = 0;
        Func<TrialSpec, int, CancellationToken, TrialResult> runner = options.Runner ?? ((spec, threads, token) => TrialRunner.Run(spec, threads, token));
        while (!stop.IsCancellationRequested)
        {
            TrialRecord? trial = Timed(() => store.Claim(sweepId, name, options.Lease, options.MaxAttempts));
            if (trial is null)
            {
                if (!Timed(() => store.Trials(sweepId)).Any(t => t.Status == TrialStatus.Running))
                {
                    break;
                }
                onEvent?.Invoke(new WorkerEvent("idle", null, null, "waiting for trials other workers hold"));
                stop.WaitHandle.WaitOne(options.IdlePoll);
                continue;
            }
            onEvent?.Invoke(new WorkerEvent("claimed", trial, null, null));
            using var claimLost = new CancellationTokenSource();
            using var running = CancellationTokenSource.CreateLinkedTokenSource(stop, claimLost.Token);
            var clock = Stopwatch.StartNew();
            TrialResult? result = null;
            string? failure = null;
            using (var heartbeat = new Timer(_ => Beat(trial, claimLost), null, options.EffectiveHeartbeat, options.EffectiveHeartbeat))
            {
                try
                {
                    result = runner(trial.Spec, options.Threads, running.Token);
                }
                catch (OperationCanceledException) when (running.IsCancellationRequested)
                {
                    // Stopped or lost: write nothing; the lease gives the trial back.
                }
                catch (ArgumentException error)
                {
                    failure = error.Message;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // Any other error is this trial's (a broken CSV, out of memory, a bug): record it and go on with the next.
                    failure = $"{error.GetType().Name}: {error.Message}";
                }
                // Dispose waits for no callback; a beat racing with the write below is harmless (fenced, same claim).
            }
            trialSeconds += clock.Elapsed.TotalSeconds;
            if (claimLost.IsCancellationRequested || (result is null && failure is null))
            {
                if (claimLost.IsCancellationRequested)
                {
                    lost++;
                    onEvent?.Invoke(new WorkerEvent("lost", trial, null, "another worker reclaimed this trial after its lease expired; nothing written"));
                }
                else
                {
                    onEvent?.Invoke(new WorkerEvent("stopped", trial, null, "stopped; the trial returns to the sweep when its lease expires"));
                }
                continue;
            }
            bool recorded = result is not null
                ? Timed(() => store.Complete(trial.Id, name, trial.Attempts, result))
                : Timed(() => store.Fail(trial.Id, name, trial.Attempts, failure!));
            if (!recorded)
            {
                lost++;
                onEvent?.Invoke(new WorkerEvent("lost", trial, null, "the claim was taken over before the result was written; nothing written"));
            }
            else if (result is not null)
            {
                done++;
                onEvent?.Invoke(new WorkerEvent("done", trial, result, null));
            }
            else
            {
                failed++;
                onEvent?.Invoke(new WorkerEvent("failed", trial, null, failure));
            }
        }
        return new WorkerSummary(done, failed, lost, trialSeconds, (double)Interlocked.Read(ref storeTicks) / Stopwatch.Frequency, storeCalls);
    }

    private void Beat(TrialRecord trial, CancellationTokenSource claimLost)
    {
        try
        {
            if (!Timed(() => store.Heartbeat(trial.Id, name, trial.Attempts)))
            {
                claimLost.Cancel();
            }
        }
        catch (ObjectDisposedException)
        {
            // The trial ended while this beat was starting.
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or TimeoutException or SweepStoreException)
        {
            // A missed beat is not fatal: the next one may succeed, and the lease allows two misses.
        }
    }

    private T Timed<T>(Func<T> call)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            return call();
        }
        finally
        {
            Interlocked.Increment(ref storeCalls);
            Interlocked.Add(ref storeTicks, Stopwatch.GetTimestamp() - start);
        }
    }
}
