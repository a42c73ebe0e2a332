namespace InitLab.Sweeps.Cluster;

/// <summary>One trial that two or more merged stores recorded differently.</summary>
/// <param name="SweepName">The sweep.</param>
/// <param name="Spec">The trial.</param>
/// <param name="Kept">Label (file) of the store whose record was kept.</param>
/// <param name="Others">Labels of the stores whose records differ from the kept one.</param>
/// <param name="Difference">What differs, e.g. "test_accuracy, history" or "done in a.db, failed in b.db".</param>
public sealed record SweepMergeConflict(string SweepName, TrialSpec Spec, string Kept, IReadOnlyList<string> Others, string Difference);
