namespace InitLab.Sweeps;

/// <summary>Where a trial is in its life. Stored by name (lowercase) so the database stays readable.</summary>
public enum TrialStatus
{
    /// <summary>Not started, or given back after its worker's lease expired.</summary>
    Pending,

    /// <summary>Claimed by a worker that holds a lease (renewed by heartbeats).</summary>
    Running,

    /// <summary>Finished with a result (a diverged training is done too: its verdict says so).</summary>
    Done,

    /// <summary>Could not produce a result (bad settings, an exception, or its workers died too many times); the error says why.</summary>
    Failed,
}
