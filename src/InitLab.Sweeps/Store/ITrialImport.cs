namespace InitLab.Sweeps.Store;

/// <summary>A store that can take trials as another store recorded them (status, attempts, worker, times, error, result):
/// what <c>initlab sweep merge</c> needs to join per-shard stores without re-running or re-timing anything.</summary>
public interface ITrialImport
{
    /// <summary>Adds each record to the sweep, unless a trial with its (config hash, seed) is already there, in the given order,
    /// in one transaction. <see cref="TrialRecord.Id"/> and <see cref="TrialRecord.SweepId"/> of the records are ignored.</summary>
    /// <param name="sweepId">The sweep in this store.</param>
    /// <param name="records">Records read from other stores.</param>
    /// <returns>How many were added.</returns>
    /// <exception cref="ArgumentException">No such sweep, or a done record without a result.</exception>
    int ImportTrials(long sweepId, IEnumerable<TrialRecord> records);
}
