using System.Globalization;

namespace InitLab.Sweeps.Cluster;

/// <summary>One of <see cref="Count"/> disjoint parts of a sweep: the trials whose position in the sweep's deterministic order
/// is ≡ <see cref="Index"/> (mod <see cref="Count"/>). For clusters without a shared database: each array task runs one shard
/// into its own SQLite file, and <c>initlab sweep merge</c> joins the files.</summary>
/// <remarks>Round-robin rather than contiguous blocks, so every shard gets a similar mix of cheap and expensive trials
/// (grids usually put depth or width on an inner axis) and the shards finish at about the same time.</remarks>
public sealed record SweepShard
{
    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <param name="index">0 ≤ index &lt; count.</param>
    /// <param name="count">Number of shards, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index or count is out of range.</exception>
    public SweepShard(int index, int count)
    {
        if (RangeProblem(index, count) is string problem)
        {
            throw count < 1
                ? new ArgumentOutOfRangeException(nameof(count), count, $"count: {problem}.")
                : new ArgumentOutOfRangeException(nameof(index), index, $"index: {problem}.");
        }
        Index = index;
        Count = count;
    }

    /// <summary>This shard's number, 0-based.</summary>
    public int Index { get; }

    /// <summary>How many shards the sweep is split into.</summary>
    public int Count { get; }

    /// <summary>Whether the trial at a position of the sweep's order belongs to this shard.</summary>
    /// <param name="position">0-based position of the trial in the sweep's deterministic order.</param>
    /// <returns>position mod Count == Index.</returns>
    public bool Contains(int position) => position >= 0 && position % Count == Index;

    /// <summary>The trials of a sweep's ordered list that belong to this shard, in order.</summary>
    /// <typeparam name="T">Trial type.</typeparam>
    /// <param name="ordered">All trials in the sweep's order.</param>
    /// <returns>Every Count-th trial starting at Index.</returns>
    public IEnumerable<T> Select<T>(IEnumerable<T> ordered)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        return ordered.Where((_, position) => Contains(position));
    }

    /// <summary>"index/count".</summary>
    /// <returns>E.g. "3/8".</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses "i/N", the form <see cref="ToString"/> writes.</summary>
    /// <param name="shard">E.g. "3/8".</param>
    /// <returns>The shard.</returns>
    /// <exception cref="ArgumentException">Not of the form i/N with 0 ≤ i &lt; N (<see cref="ArgumentException.ParamName"/> is
    /// <c>shard</c>).</exception>
    public static SweepShard Parse(string shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        string[] parts = shard.Split('/');
        if (parts.Length != 2 || !TryParseCount(parts[0], out int index) || !TryParseCount(parts[1], out int count))
        {
            throw new ArgumentException($"shard: expected INDEX/COUNT such as 3/8 (0-based index), got '{shard}'.", nameof(shard));
        }
        return RangeProblem(index, count) is string problem
            ? throw new ArgumentException($"shard: {problem} (from '{shard}').", nameof(shard))
            : new SweepShard(index, count);
    }

    /// <summary>The shard a cluster's job array assigns to this process, from its environment, or null when none does.</summary>
    /// <remarks>
    /// Slurm job arrays: <c>SLURM_ARRAY_TASK_ID</c> with <c>SLURM_ARRAY_TASK_MIN</c>, <c>SLURM_ARRAY_TASK_STEP</c> and
    /// <c>SLURM_ARRAY_TASK_COUNT</c>, so <c>--array=1-32</c> or <c>--array=0-62:2</c> still give shards 0..31.
    /// Kubernetes Indexed Jobs: <c>JOB_COMPLETION_INDEX</c>, with the count from <paramref name="count"/> or
    /// <c>INITLAB_SHARD_COUNT</c> (Kubernetes does not expose <c>completions</c> to the pod; the template sets it).
    /// </remarks>
    /// <param name="environment">Variable lookup (usually <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <param name="count">The shard count, when the caller knows it (overrides the environment's), or null.</param>
    /// <returns>The shard, or null when no array variable is set.</returns>
    /// <exception cref="ArgumentException">A variable is malformed or out of range (<see cref="ArgumentException.ParamName"/> is
    /// <c>environment</c>), or the count is missing (<c>count</c>).</exception>
    public static SweepShard? FromEnvironment(Func<string, string?> environment, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        int index, shards;
        string variable;
        if (Variable(environment, "SLURM_ARRAY_TASK_ID") is int id)
        {
            int min = Variable(environment, "SLURM_ARRAY_TASK_MIN") ?? 0;
            int step = Variable(environment, "SLURM_ARRAY_TASK_STEP") ?? 1;
            shards = count ?? Variable(environment, "SLURM_ARRAY_TASK_COUNT") ?? throw new ArgumentException(
                "count: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not (Slurm < 17.11?); pass the shard count.", nameof(count));
            if (step < 1 || (id - min) % step != 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"environment: SLURM_ARRAY_TASK_ID={id} is not on the array's grid (min {min}, step {step})."), nameof(environment));
            }
            (index, variable) = ((id - min) / step, "SLURM_ARRAY_TASK_ID");
        }
        else if (Variable(environment, "JOB_COMPLETION_INDEX") is int jobIndex)
        {
            shards = count ?? Variable(environment, "INITLAB_SHARD_COUNT")
                ?? throw new ArgumentException("count: JOB_COMPLETION_INDEX is set but not the shard count: set INITLAB_SHARD_COUNT " +
                    "to the Job's completions (deploy/k8s/sweep-job.yaml does), or pass the shard count.", nameof(count));
            (index, variable) = (jobIndex, "JOB_COMPLETION_INDEX");
        }
        else
        {
            return null;
        }
        return RangeProblem(index, shards) is string problem
            ? throw new ArgumentException($"environment: {problem} (from {variable}).", nameof(environment))
            : new SweepShard(index, shards);
    }

    /// <summary>What is wrong with shard <paramref name="index"/> of <paramref name="count"/>, or null.</summary>
    private static string? RangeProblem(int index, int count) =>
        count < 1 ? $"the shard count must be ≥ 1, got {count}"
        : index < 0 || index >= count ? $"the shard index must be in 0..{count - 1} for {count} shards, got {index}"
        : null;

    /// <summary>An array variable's value; null when it is unset or empty.</summary>
    private static int? Variable(Func<string, string?> environment, string name) =>
        environment(name) is not { Length: > 0 } text ? null
        : TryParseCount(text, out int value) ? value
        : throw new ArgumentException($"environment: the variable {name} must be a non-negative integer, got '{text}'.", nameof(environment));

    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
