namespace InitLab.Sweeps.Cluster;

/// <summary>What <see cref="SweepMerge.Merge{TStore}"/> did.</summary>
/// <param name="Sweeps">Sweeps merged.</param>
/// <param name="Done">Trials done in the merged store.</param>
/// <param name="Failed">Trials failed in the merged store.</param>
/// <param name="Pending">Trials still to run (in no input, or pending/running in every input that has them).</param>
/// <param name="Duplicates">Trials found in more than one input with the same outcome (wall time aside).</param>
/// <param name="NotInDefinition">Trials found in an input but not in the sweep's definition (kept, placed after the definition's).</param>
/// <param name="Conflicts">Trials recorded differently by different inputs, with the record kept.</param>
public sealed record SweepMergeReport(int Sweeps, int Done, int Failed, int Pending, int Duplicates, int NotInDefinition,
    IReadOnlyList<SweepMergeConflict> Conflicts);
