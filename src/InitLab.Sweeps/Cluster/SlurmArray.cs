using System.Globalization;
using System.Text.RegularExpressions;

namespace InitLab.Sweeps.Cluster;

/// <summary>A Slurm job array's index range as <c>sbatch --array</c> takes it: <c>FIRST-LAST[:STEP][%LIMIT]</c> (or a single
/// index), e.g. <c>0-31%8</c>: tasks 0…31, at most 8 running at once.</summary>
/// <remarks>Slurm also takes comma lists (<c>1,4,9</c>); they are refused here because a task's shard is computed from
/// its id, the first id and the step, which a list does not have.</remarks>
public sealed partial record SlurmArray
{
    /// <summary>Creates the range.</summary>
    /// <param name="first">First task id (≥ 0).</param>
    /// <param name="last">Last task id (≥ first).</param>
    /// <param name="step">Distance between ids (≥ 1).</param>
    /// <param name="limit">Most tasks running at once, or null for no limit.</param>
    public SlurmArray(int first, int last, int step = 1, int? limit = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        if (limit is int value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(limit));
        }
        (First, Last, Step, Limit) = (first, last, step, limit);
    }

    /// <summary>First task id.</summary>
    public int First { get; }

    /// <summary>Last task id actually run (the range's end, rounded down onto the step).</summary>
    public int Last { get; }

    /// <summary>Distance between task ids.</summary>
    public int Step { get; }

    /// <summary>Most tasks Slurm runs at once, or null.</summary>
    public int? Limit { get; }

    /// <summary>How many tasks the array has: ⌊(last − first) / step⌋ + 1.</summary>
    public int TaskCount => ((Last - First) / Step) + 1;

    /// <summary>The range as sbatch's <c>--array</c> takes it.</summary>
    /// <returns>E.g. <c>0-31%8</c>.</returns>
    public override string ToString()
    {
        string range = First == Last ? First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}{(Step == 1 ? "" : $":{Step}")}");
        return Limit is int limit ? string.Create(CultureInfo.InvariantCulture, $"{range}%{limit}") : range;
    }

    /// <summary>Parses <c>FIRST-LAST[:STEP][%LIMIT]</c> or <c>ID[%LIMIT]</c>.</summary>
    /// <param name="array">The range as sbatch's <c>--array</c> takes it, e.g. <c>0-31%8</c>.</param>
    /// <returns>The range.</returns>
    /// <exception cref="ArgumentException">Malformed, empty or reversed; the message says which form is valid
    /// (<see cref="ArgumentException.ParamName"/> is <c>array</c>).</exception>
    public static SlurmArray Parse(string array)
    {
        ArgumentNullException.ThrowIfNull(array);
        Match match = Pattern().Match(array);
        if (!match.Success)
        {
            throw new ArgumentException($"array: expected FIRST-LAST[:STEP][%LIMIT] such as 0-31%8, got '{array}'" +
                (array.Contains(',', StringComparison.Ordinal) ? " (comma lists cannot be mapped to shards; use a range)." : "."), nameof(array));
        }
        if (!TryInt(match.Groups["first"].Value, out int first)
            || !TryInt(match.Groups["last"].Success ? match.Groups["last"].Value : match.Groups["first"].Value, out int last)
            || !TryInt(match.Groups["step"].Success ? match.Groups["step"].Value : "1", out int step)
            || !TryInt(match.Groups["limit"].Success ? match.Groups["limit"].Value : "1", out int limit))
        {
            throw new ArgumentException($"array: a number in '{array}' is too large.", nameof(array));
        }
        if (last < first)
        {
            throw new ArgumentException($"array: the range '{array}' ends before it starts ({last} < {first}).", nameof(array));
        }
        if (step < 1 || limit < 1)
        {
            throw new ArgumentException($"array: the step and the %limit must be ≥ 1, got '{array}'.", nameof(array));
        }
        // Slurm runs FIRST, FIRST+STEP, … up to LAST; the last id actually run is LAST rounded down onto the step.
        int lastRun = first + ((last - first) / step * step);
        return new SlurmArray(first, lastRun, step, match.Groups["limit"].Success ? limit : null);
    }

    private static bool TryInt(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex(@"^(?<first>\d+)(-(?<last>\d+)(:(?<step>\d+))?)?(%(?<limit>\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
