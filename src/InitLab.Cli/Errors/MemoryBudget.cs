using System.Globalization;

namespace InitLab.Cli.Errors;

/// <summary>
/// A size check before allocating: estimates what a network or tensor needs and refuses, naming the flag, when it
/// cannot fit in the memory available to this process (so the user sees a sentence, not an OutOfMemoryException).
/// </summary>
internal static class MemoryBudget
{
    /// <summary>float32 weights, their gradients and up to two optimizer slots (Adam's m and v).</summary>
    private const int CopiesPerParameter = 4;

    /// <summary>Each layer keeps its input, pre-activation, activation and their gradients for a batch.</summary>
    private const int CopiesPerActivation = 6;

    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Bytes a Dense network of <paramref name="widths"/> needs to train on <paramref name="rows"/>-row batches
    /// (exact parameter count, activations bounded above), saturating at <see cref="long.MaxValue"/>.</summary>
    public static long DenseNetworkBytes(IReadOnlyList<int> widths, int rows)
    {
        try
        {
            checked
            {
                long parameters = 0, activations = 0;
                for (int i = 1; i < widths.Count; i++)
                {
                    parameters += ((long)widths[i - 1] * widths[i]) + widths[i];
                    activations += (long)rows * widths[i];
                }
                return ((parameters * CopiesPerParameter) + (activations * CopiesPerActivation)) * sizeof(float);
            }
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>Throws a usage error naming <paramref name="flag"/> when <paramref name="bytes"/> exceed what is available.</summary>
    public static void Require(string flag, string value, long bytes, long available)
    {
        if (bytes > available)
        {
            throw new Commands.CliUsageException(
                $"{flag} {value}: needs about {Describe(bytes)} of memory, but this process can use {Describe(available)}; use smaller widths.");
        }
    }

    public static string Describe(long bytes) => bytes switch
    {
        long.MaxValue => "more than 8 EB",
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB"),
    };
}
