namespace InitLab.Sweeps.Running;

/// <summary>What a worker just did, for a progress display.</summary>
/// <param name="Kind">claimed, done, failed, lost (the claim was taken over), stopped, or idle.</param>
/// <param name="Trial">The trial concerned, or null.</param>
/// <param name="Result">The result when done, or null.</param>
/// <param name="Message">The failure reason or a remark, or null.</param>
public sealed record WorkerEvent(string Kind, TrialRecord? Trial, TrialResult? Result, string? Message);
