using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Cluster;

/// <summary>Joins the stores of a sharded sweep (one SQLite file per Slurm array task or Kubernetes index) into one store.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>A sweep present in several inputs must have the same definition in each (else nothing is written).</item>
/// <item>Trials are keyed by (config hash, seed). Done beats failed beats pending/running; between equal outcomes the input
/// whose label sorts first (ordinal) wins, so the result does not depend on the order the files were given in. Two done
/// records whose metrics differ in any bit (wall time aside: it always differs), or a done and a failed record, are reported
/// as conflicts.</item>
/// <item>With the sweep's expansion, the merged trials follow the definition's order (what a single-process run would have
/// stored) and trials no input has are added as pending, so <c>sweep run</c> on the merged store finishes them.</item>
/// <item>A trial still running in a shard (its worker was killed) becomes pending again, attempts kept.</item>
/// </list>
/// </remarks>
public static class SweepMerge
{
    /// <summary>Merges every sweep of the inputs into an empty output store.</summary>
    /// <typeparam name="TStore">The output store's type.</typeparam>
    /// <param name="inputs">Each input store with a label for messages (its file name); labels must be unique.</param>
    /// <param name="output">The store to fill, normally new and empty.</param>
    /// <param name="expand">The sweep's trials in its deterministic order, from its definition JSON; or null to keep the
    /// order in which the (label-sorted) inputs hold them (also when it returns null for a sweep).</param>
    /// <returns>Counts and conflicts.</returns>
    /// <exception cref="ArgumentException">No inputs, duplicate labels, or a sweep with different definitions in two inputs.</exception>
    public static SweepMergeReport Merge<TStore>(IReadOnlyList<(string Label, ISweepStore Store)> inputs, TStore output,
        Func<string, IReadOnlyList<TrialSpec>?>? expand = null)
        where TStore : ISweepStore, ITrialImport
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("merge: no input stores given.", nameof(inputs));
        }
        if (inputs.Select(i => i.Label).Distinct(StringComparer.Ordinal).Count() != inputs.Count)
        {
            throw new ArgumentException("merge: the same input store is given twice.", nameof(inputs));
        }
        var sorted = inputs.OrderBy(i => i.Label, StringComparer.Ordinal).ToList();

        // Read and check everything before writing anything.
        var sweeps = new List<(string Name, string Definition, List<(string Label, TrialRecord Trial)> Trials)>();
        foreach ((string label, ISweepStore store) in sorted)
        {
            foreach (SweepInfo sweep in store.Sweeps())
            {
                int index = sweeps.FindIndex(s => s.Name == sweep.Name);
                if (index < 0)
                {
                    sweeps.Add((sweep.Name, sweep.DefinitionJson, []));
                    index = sweeps.Count - 1;
                }
                else if (sweeps[index].Definition != sweep.DefinitionJson)
                {
                    string first = sweeps[index].Trials.Count > 0 ? sweeps[index].Trials[0].Label : "an earlier input";
                    throw new ArgumentException($"merge: sweep '{sweep.Name}' has a different definition in {label} than in {first}; " +
                        "only shards of the same sweep can be merged (the same settings and seeds, split only by their shard).", nameof(inputs));
                }
                sweeps[index].Trials.AddRange(store.Trials(sweep.Id).Select(t => (label, t)));
            }
        }

        int done = 0, failed = 0, pending = 0, duplicates = 0, notInDefinition = 0;
        var conflicts = new List<SweepMergeConflict>();
        foreach ((string name, string definition, List<(string Label, TrialRecord Trial)> found) in sweeps)
        {
            var byKey = new Dictionary<(string Hash, ulong Seed), List<(string Label, TrialRecord Trial)>>();
            var order = new List<TrialSpec>();
            IReadOnlyList<TrialSpec>? expansion = expand?.Invoke(definition);
            foreach (TrialSpec spec in expansion ?? [])
            {
                if (byKey.TryAdd((spec.ConfigHash, spec.Seed), []))
                {
                    order.Add(spec);
                }
            }
            int defined = order.Count;
            foreach ((string label, TrialRecord trial) in found)
            {
                var key = (trial.Spec.ConfigHash, trial.Spec.Seed);
                if (!byKey.TryGetValue(key, out List<(string Label, TrialRecord Trial)>? list))
                {
                    byKey[key] = list = [];
                    order.Add(trial.Spec);
                }
                list.Add((label, trial));
            }
            if (expansion is not null)
            {
                notInDefinition += order.Count - defined;
            }

            var records = new List<TrialRecord>(order.Count);
            foreach (TrialSpec spec in order)
            {
                List<(string Label, TrialRecord Trial)> candidates = byKey[(spec.ConfigHash, spec.Seed)];
                TrialRecord chosen = Choose(name, spec, candidates, conflicts, ref duplicates);
                records.Add(chosen);
                switch (chosen.Status)
                {
                    case TrialStatus.Done: done++; break;
                    case TrialStatus.Failed: failed++; break;
                    default: pending++; break;
                }
            }
            long sweepId = output.EnsureSweep(name, definition).Id;
            output.ImportTrials(sweepId, records);
        }
        return new SweepMergeReport(sweeps.Count, done, failed, pending, duplicates, notInDefinition, conflicts);
    }

    private static TrialRecord Choose(string sweepName, TrialSpec spec, List<(string Label, TrialRecord Trial)> candidates,
        List<SweepMergeConflict> conflicts, ref int duplicates)
    {
        if (candidates.Count == 0)
        {
            return new TrialRecord(0, 0, spec, TrialStatus.Pending, 0, null, null, null, null, null, null);
        }
        // Candidates are in label order; OrderBy is stable, so ties keep it.
        var ranked = candidates.OrderBy(c => Rank(c.Trial.Status)).ToList();
        (string keptLabel, TrialRecord kept) = ranked[0];
        var differing = new List<string>();
        var differences = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((string label, TrialRecord other) in ranked.Skip(1))
        {
            string? difference = Difference(kept, keptLabel, other, label);
            if (difference is null)
            {
                continue;
            }
            differing.Add(label);
            differences.Add(difference);
        }
        if (candidates.Count > 1 && differing.Count == 0 && kept.Status is TrialStatus.Done or TrialStatus.Failed)
        {
            duplicates++;
        }
        if (differing.Count > 0)
        {
            conflicts.Add(new SweepMergeConflict(sweepName, spec, keptLabel, differing, string.Join("; ", differences)));
        }
        return kept.Status is TrialStatus.Running or TrialStatus.Pending
            ? kept with { Status = TrialStatus.Pending, Worker = null, StartedUtc = null, HeartbeatUtc = null, FinishedUtc = null, Error = null, Result = null }
            : kept;
    }

    private static int Rank(TrialStatus status) => status switch
    {
        TrialStatus.Done => 0,
        TrialStatus.Failed => 1,
        _ => 2,
    };

    /// <summary>Null when the other record tells the same story as the kept one; else what differs.</summary>
    private static string? Difference(TrialRecord kept, string keptLabel, TrialRecord other, string otherLabel)
    {
        if (kept.Status == TrialStatus.Done && other.Status == TrialStatus.Done)
        {
            IReadOnlyList<string> fields = DifferingMetrics(kept.Result!, other.Result!);
            return fields.Count == 0 ? null : string.Join(", ", fields);
        }
        if (kept.Status == TrialStatus.Done && other.Status == TrialStatus.Failed)
        {
            return $"done in {keptLabel}, failed in {otherLabel} ({other.Error}); kept the result";
        }
        return null;
    }

    /// <summary>The metrics two results disagree on, compared bit for bit (the wall time is not a metric).</summary>
    /// <param name="a">One result.</param>
    /// <param name="b">The other.</param>
    /// <returns>Column-style names of the fields that differ, empty when the trainings agree exactly.</returns>
    public static IReadOnlyList<string> DifferingMetrics(TrialResult a, TrialResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var fields = new List<string>();
        void Check(bool same, string name)
        {
            if (!same)
            {
                fields.Add(name);
            }
        }
        Check(a.Epochs == b.Epochs, "epochs");
        Check(SameBits(a.TrainLoss, b.TrainLoss), "train_loss");
        Check(SameBits(a.TrainAccuracy, b.TrainAccuracy), "train_accuracy");
        Check(SameBits(a.TestLoss, b.TestLoss), "test_loss");
        Check(SameBits(a.TestAccuracy, b.TestAccuracy), "test_accuracy");
        Check(a.Verdict == b.Verdict, "verdict");
        Check(a.VerdictReason == b.VerdictReason, "verdict_reason");
        Check(a.HistoryJson == b.HistoryJson, "history");
        Check(a.InitLayersJson == b.InitLayersJson, "init_layers");
        return fields;
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
