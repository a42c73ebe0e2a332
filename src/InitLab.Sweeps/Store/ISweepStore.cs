namespace InitLab.Sweeps.Store;

/// <summary>A results store shared by the workers of one or more sweeps: SQLite for one machine, PostgreSQL for many.</summary>
/// <remarks>
/// Contract every implementation keeps (the store tests run against each):
/// <list type="bullet">
/// <item>(sweep, config hash, seed) is unique: adding an existing trial is a no-op, so re-running a sweep adds only new points.</item>
/// <item><see cref="Claim"/> is atomic: two workers never hold the same trial; it hands out pending trials in id order, and
/// running trials whose last heartbeat is older than the lease (their worker died), incrementing <see cref="TrialRecord.Attempts"/>.
/// A trial whose claims reached <c>maxAttempts</c> without finishing becomes failed with the reason, instead of being retried forever.</item>
/// <item><see cref="Heartbeat"/>, <see cref="Complete"/> and <see cref="Fail"/> take the claim's (worker, attempts) as a fencing
/// token and do nothing (return false) when the trial was reclaimed since: a result is recorded exactly once.</item>
/// <item>Every write is one transaction: a process killed at any moment leaves the store consistent, losing at most its
/// claimed trials, which the lease gives back.</item>
/// </list>
/// </remarks>
public interface ISweepStore : IDisposable
{
    /// <summary>Where the store is, for messages (a path, or a connection string without its password).</summary>
    string Location { get; }

    /// <summary>Creates the sweep, or returns the existing one of that name (its definition replaced by this one).</summary>
    /// <param name="name">Unique sweep name.</param>
    /// <param name="definitionJson">The definition as JSON (kept for reports and for workers that join later).</param>
    /// <returns>The sweep.</returns>
    SweepInfo EnsureSweep(string name, string definitionJson);

    /// <summary>The sweep of that name, or null.</summary>
    /// <param name="name">Sweep name.</param>
    /// <returns>The sweep or null.</returns>
    SweepInfo? FindSweep(string name);

    /// <summary>Every sweep in the store, oldest first.</summary>
    /// <returns>The sweeps.</returns>
    IReadOnlyList<SweepInfo> Sweeps();

    /// <summary>Adds the trials that are not in the sweep yet (by config hash and seed), in the given order, in one transaction.</summary>
    /// <param name="sweepId">The sweep.</param>
    /// <param name="trials">Trials.</param>
    /// <returns>How many were new.</returns>
    int AddTrials(long sweepId, IEnumerable<TrialSpec> trials);

    /// <summary>Claims the next trial to run (see the remarks), or returns null when none is pending or reclaimable.</summary>
    /// <param name="sweepId">The sweep.</param>
    /// <param name="worker">This worker's name (host:pid or a Slurm/Kubernetes index), stored with the claim.</param>
    /// <param name="lease">How long a claim lives without a heartbeat.</param>
    /// <param name="maxAttempts">Claims after which an unfinished trial is failed instead of handed out again (≥ 1).</param>
    /// <returns>The claimed trial (status running, attempts incremented) or null.</returns>
    TrialRecord? Claim(long sweepId, string worker, TimeSpan lease, int maxAttempts);

    /// <summary>Renews the lease of a claim.</summary>
    /// <param name="trialId">The trial.</param>
    /// <param name="worker">The claiming worker.</param>
    /// <param name="attempt">The claim's <see cref="TrialRecord.Attempts"/>.</param>
    /// <returns>False when the claim is no longer this worker's (the trial was reclaimed or finished).</returns>
    bool Heartbeat(long trialId, string worker, int attempt);

    /// <summary>Records the result and marks the trial done, if the claim is still this worker's.</summary>
    /// <param name="trialId">The trial.</param>
    /// <param name="worker">The claiming worker.</param>
    /// <param name="attempt">The claim's <see cref="TrialRecord.Attempts"/>.</param>
    /// <param name="result">What it measured.</param>
    /// <returns>False when the claim was lost (nothing written).</returns>
    bool Complete(long trialId, string worker, int attempt, TrialResult result);

    /// <summary>Marks the trial failed with its reason, if the claim is still this worker's.</summary>
    /// <param name="trialId">The trial.</param>
    /// <param name="worker">The claiming worker.</param>
    /// <param name="attempt">The claim's <see cref="TrialRecord.Attempts"/>.</param>
    /// <param name="reason">Why, in words a user can act on.</param>
    /// <returns>False when the claim was lost (nothing written).</returns>
    bool Fail(long trialId, string worker, int attempt, string reason);

    /// <summary>Every trial of the sweep, in id order.</summary>
    /// <param name="sweepId">The sweep.</param>
    /// <returns>The trials.</returns>
    IReadOnlyList<TrialRecord> Trials(long sweepId);
}
