namespace InitLab.Sweeps;

/// <summary>A trial as a store holds it.</summary>
/// <param name="Id">The store's id of the trial (unique within the store).</param>
/// <param name="SweepId">The sweep it belongs to.</param>
/// <param name="Spec">Settings and seed.</param>
/// <param name="Status">Pending, running, done or failed.</param>
/// <param name="Attempts">How many times a worker has claimed it (the fencing token of the current claim).</param>
/// <param name="Worker">The worker that holds or last held it, or null.</param>
/// <param name="StartedUtc">When the current or last claim began, or null.</param>
/// <param name="HeartbeatUtc">The last heartbeat of the current claim, or null.</param>
/// <param name="FinishedUtc">When it became done or failed, or null.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Result">What it measured when done, or null.</param>
public sealed record TrialRecord(long Id, long SweepId, TrialSpec Spec, TrialStatus Status, int Attempts, string? Worker,
    DateTime? StartedUtc, DateTime? HeartbeatUtc, DateTime? FinishedUtc, string? Error, TrialResult? Result);
