using System.Globalization;
using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997, in the form of Le, Jaitly &amp; Hinton 2015, §4.1): each sequence
/// has T steps of two inputs, a value uniform in [0, 1) and a marker that is 1 at exactly two steps and 0 elsewhere; the
/// target is the sum of the two marked values. One marker is uniform over the first ⌊T/2⌋ steps, the other over the
/// rest (the placement of Arjovsky et al. 2016 and most code since; Le et al. do not say), so the network must remember
/// a value for up to T steps.
/// </summary>
/// <remarks>
/// Rows are [T, 2] row-major (value, marker per step) — <see cref="InputShape"/> — for a model built with
/// <c>new Sequential(AddingProblem.InputShape(T), …)</c>. Predicting 1 whatever the input has mean squared error
/// E[(u₁ + u₂ − 1)²] = Var(u₁ + u₂) = 2·(1/12) = 1/6 ≈ 0.167 (<see cref="ConstantBaselineMse"/>); Le et al. print
/// 0.1767 for it, which is not that expectation.
/// </remarks>
public static class AddingProblem
{
    /// <summary>The mean squared error of always predicting 1 (the mean target): Var(u₁ + u₂) = 1/6, u uniform on [0, 1].</summary>
    public const double ConstantBaselineMse = 1.0 / 6.0;

    /// <summary>The shape of one row: [T, 2] (timesteps, then value and marker).</summary>
    /// <param name="timesteps">T, ≥ 2.</param>
    /// <returns>[T, 2].</returns>
    public static IReadOnlyList<int> InputShape(int timesteps)
    {
        CheckTimesteps(timesteps);
        return [timesteps, 2];
    }

    /// <summary>Draws <paramref name="sequences"/> sequences of <paramref name="timesteps"/> steps from
    /// <paramref name="rng"/>: per sequence the T values, then the first marker's step, then the second's.</summary>
    /// <param name="sequences">Rows, ≥ 1.</param>
    /// <param name="timesteps">T, ≥ 2 (one marker in each half).</param>
    /// <param name="rng">The generator (same state, same data).</param>
    /// <returns>A regression set: features rows×(T·2) with <see cref="Dataset.RowShape"/> [T, 2], targets rows×1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequences"/> &lt; 1 or <paramref name="timesteps"/> &lt; 2.</exception>
    public static Dataset Generate(int sequences, int timesteps, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (sequences < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences, string.Create(CultureInfo.InvariantCulture,
                $"AddingProblem: sequences must be >= 1, got {sequences}."));
        }
        CheckTimesteps(timesteps);
        long values = (long)sequences * timesteps * 2;
        if (values > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences, string.Create(CultureInfo.InvariantCulture,
                $"AddingProblem: {sequences} sequences of {timesteps} steps need {values} values, more than one array can hold ({Array.MaxLength}); generate fewer."));
        }
        var x = new float[values];
        var y = new float[sequences];
        int firstHalf = timesteps / 2;
        for (int n = 0; n < sequences; n++)
        {
            Span<float> row = x.AsSpan(n * timesteps * 2, timesteps * 2);
            for (int t = 0; t < timesteps; t++)
            {
                row[2 * t] = (float)rng.NextDouble();
            }
            int first = rng.NextInt(firstHalf);
            int second = firstHalf + rng.NextInt(timesteps - firstHalf);
            row[2 * first + 1] = 1;
            row[2 * second + 1] = 1;
            y[n] = row[2 * first] + row[2 * second];
        }
        string[] names = [.. Enumerable.Range(0, timesteps).SelectMany(t => new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"value_{t}"), string.Create(CultureInfo.InvariantCulture, $"marker_{t}"),
        })];
        return new Dataset("adding", new Tensor(x, sequences, timesteps * 2), new Tensor(y, sequences, 1), names, "sum")
        {
            RowShape = [timesteps, 2],
        };
    }

    private static void CheckTimesteps(int timesteps)
    {
        if (timesteps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(timesteps), timesteps, string.Create(CultureInfo.InvariantCulture,
                $"AddingProblem: timesteps must be >= 2 (one marker in each half of the sequence), got {timesteps}."));
        }
    }
}
