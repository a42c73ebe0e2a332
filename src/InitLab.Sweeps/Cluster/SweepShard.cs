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
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"--shard: the shard count must be ≥ 1, got {count}.");
        }
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"--shard: the shard index must be in 0..{count - 1} for {count} shards, got {index}.");
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

    /// <summary>Parses "i/N" (as <c>--shard</c> takes it).</summary>
    /// <param name="text">E.g. "3/8".</param>
    /// <returns>The shard.</returns>
    /// <exception cref="ArgumentException">Not of the form i/N with 0 ≤ i &lt; N.</exception>
    public static SweepShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !TryParseCount(parts[0], out int index) || !TryParseCount(parts[1], out int count))
        {
            throw new ArgumentException($"--shard: expected INDEX/COUNT such as 3/8 (0-based index), got '{text}'.", nameof(text));
        }
        try
        {
            return new SweepShard(index, count);
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ArgumentException($"{error.Message.Split(" (Parameter", 2)[0]} (from '{text}')", nameof(text), error);
        }
    }

    /// <summary>The shard a cluster's job array assigns to this process, from its environment, or null when none does.</summary>
    /// <remarks>
    /// Slurm job arrays: <c>SLURM_ARRAY_TASK_ID</c> with <c>SLURM_ARRAY_TASK_MIN</c>, <c>SLURM_ARRAY_TASK_STEP</c> and
    /// <c>SLURM_ARRAY_TASK_COUNT</c>, so <c>--array=1-32</c> or <c>--array=0-62:2</c> still give shards 0..31.
    /// Kubernetes Indexed Jobs: <c>JOB_COMPLETION_INDEX</c>, with the count from <paramref name="count"/> or
    /// <c>INITLAB_SHARD_COUNT</c> (Kubernetes does not expose <c>completions</c> to the pod; the template sets it).
    /// </remarks>
    /// <param name="environment">Variable lookup (usually <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <param name="count">A count given on the command line (overrides the environment's), or null.</param>
    /// <returns>The shard, or null when no array variable is set.</returns>
    /// <exception cref="ArgumentException">A variable is malformed or the count is missing.</exception>
    public static SweepShard? FromEnvironment(Func<string, string?> environment, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("SLURM_ARRAY_TASK_ID") is { Length: > 0 } taskId)
        {
            int id = Variable("SLURM_ARRAY_TASK_ID", taskId);
            int min = environment("SLURM_ARRAY_TASK_MIN") is { Length: > 0 } minText ? Variable("SLURM_ARRAY_TASK_MIN", minText) : 0;
            int step = environment("SLURM_ARRAY_TASK_STEP") is { Length: > 0 } stepText ? Variable("SLURM_ARRAY_TASK_STEP", stepText) : 1;
            int? slurmCount = environment("SLURM_ARRAY_TASK_COUNT") is { Length: > 0 } countText
                ? Variable("SLURM_ARRAY_TASK_COUNT", countText) : null;
            int shards = count ?? slurmCount ?? throw new ArgumentException(
                "--shard: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not (Slurm < 17.11?); give the count with --shard-count.");
            if (step < 1 || (id - min) % step != 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"--shard: SLURM_ARRAY_TASK_ID={id} is not on the array's grid (min {min}, step {step})."));
            }
            return Checked(() => new SweepShard((id - min) / step, shards), "SLURM_ARRAY_TASK_ID");
        }
        if (environment("JOB_COMPLETION_INDEX") is { Length: > 0 } jobIndex)
        {
            int index = Variable("JOB_COMPLETION_INDEX", jobIndex);
            int shards = count ?? (environment("INITLAB_SHARD_COUNT") is { Length: > 0 } countText
                ? Variable("INITLAB_SHARD_COUNT", countText)
                : throw new ArgumentException("--shard: JOB_COMPLETION_INDEX is set but not the shard count: set INITLAB_SHARD_COUNT " +
                    "to the Job's completions (deploy/k8s/sweep-job.yaml does), or give --shard-count."));
            return Checked(() => new SweepShard(index, shards), "JOB_COMPLETION_INDEX");
        }
        return null;
    }

    private static SweepShard Checked(Func<SweepShard> create, string variable)
    {
        try
        {
            return create();
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ArgumentException($"{error.Message.Split(" (Parameter", 2)[0]} (from {variable})", variable, error);
        }
    }

    private static int Variable(string name, string text) =>
        TryParseCount(text, out int value) ? value
            : throw new ArgumentException($"--shard: the environment variable {name} must be a non-negative integer, got '{text}'.", name);

    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
