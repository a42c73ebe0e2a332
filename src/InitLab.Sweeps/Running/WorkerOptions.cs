namespace InitLab.Sweeps.Running;

/// <summary>How a worker claims and runs trials.</summary>
public sealed record WorkerOptions
{
    /// <summary>How long a claim lives without a heartbeat; a dead worker's trial is reclaimed after it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time between heartbeats (default: a third of the lease, so two missed beats still keep the claim).</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Claims after which a trial that never finished is failed instead of handed out again.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Kernel threads per trial (1: parallelise across trials with more workers instead).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>How long to wait before looking again when nothing is claimable but other workers still hold trials
    /// (one of them may die, and its trial must then be reclaimed by someone).</summary>
    public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs one trial; null for <see cref="TrialRunner.Run"/> (tests substitute a stand-in).</summary>
    public Func<TrialSpec, int, CancellationToken, TrialResult>? Runner { get; init; }

    /// <summary>The heartbeat interval in effect.</summary>
    public TimeSpan EffectiveHeartbeat => HeartbeatInterval ?? Lease / 3;
}
