namespace InitLab.Sweeps.Running;

/// <summary>What one worker did, and where its time went.</summary>
/// <param name="Done">Trials it completed.</param>
/// <param name="Failed">Trials it recorded as failed (bad settings, an exception).</param>
/// <param name="Lost">Trials whose claim it lost before finishing (nothing written).</param>
/// <param name="TrialSeconds">Wall time inside the trials.</param>
/// <param name="StoreSeconds">Wall time inside store calls (claims, heartbeats, results).</param>
/// <param name="StoreCalls">Store calls made.</param>
public sealed record WorkerSummary(int Done, int Failed, int Lost, double TrialSeconds, double StoreSeconds, int StoreCalls)
{
    /// <summary>Store time over trial time (the store's overhead per trial).</summary>
    public double StoreOverhead => TrialSeconds > 0 ? StoreSeconds / TrialSeconds : 0;
}
