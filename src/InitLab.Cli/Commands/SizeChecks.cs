using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Common;
using InitLab.Training;

namespace InitLab.Cli.Commands;

/// <summary>
/// Estimate-and-refuse for the widths given on the command line: a network whose buffers cannot exist (more
/// values than one array holds) or cannot fit in the memory this process may use is refused before anything is
/// allocated, naming the flag, the value and the memory it would need. The same for the rows of a generated data set.
/// </summary>
internal static class SizeChecks
{
    public static void Widths(string flag, IReadOnlyList<int> widths, int batchRows)
    {
        MemoryEstimate estimate = MemoryEstimate.ForTraining(widths, batchRows);
        string text = string.Join(",", widths);
        if (!estimate.FitsInArrays)
        {
            int layer = estimate.LargestLayer;
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"{flag}: {text}: layer {layer} ({widths[layer]}→{widths[layer + 1]}) needs a buffer of {estimate.LargestArray:G6} values, more than one array holds " +
                $"({Array.MaxLength}); training would need about {MemoryBudget.Format(estimate.TotalBytes)}. Use narrower layers."));
        }
        if (!MemoryBudget.Fits((long)Math.Min(estimate.TotalBytes, long.MaxValue)))
        {
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"{flag}: {text} needs about {MemoryBudget.Format(estimate.TotalBytes)} to train (weights, gradients, optimizer state and batch buffers), " +
                $"more than the {MemoryBudget.Format(MemoryBudget.AvailableBytes)} this process may use. Use narrower layers."));
        }
    }

    /// <summary>
    /// Bytes per row that training on a generated set of <paramref name="features"/> features holds at its peak: the
    /// generated, shuffled, split and scaled copies of the features (8 × 4 B per feature) and the labels, targets and
    /// index arrays beside them (24 B). Measured (peak RSS slope from 1 M to 4 M rows, one epoch): moons (2 features)
    /// 83 B per row, curve (1 feature) 52 B per row; this gives 88 and 56.
    /// </summary>
    internal static double GeneratedBytesPerRow(int features) => 32.0 * features + 24;

    /// <summary>Refuses <paramref name="rows"/> rows of the generated set <paramref name="setName"/> when its feature
    /// array cannot exist or training on it cannot fit in the memory this process may use.</summary>
    public static void GeneratedRows(string flag, int rows, string setName, int features) =>
        GeneratedRows(flag, rows, setName, features, MemoryBudget.AvailableBytes);

    internal static void GeneratedRows(string flag, int rows, string setName, int features, long availableBytes)
    {
        double values = (double)rows * features;
        double bytes = rows * GeneratedBytesPerRow(features);
        if (values > Array.MaxLength)
        {
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"{flag}: got {rows}; {setName} has {features} features per row, {values:N0} values, more than one array holds ({Array.MaxLength:N0}) " +
                $"(training would need about {MemoryBudget.Format(bytes)}). Use at most {Array.MaxLength / features:N0} rows."));
        }
        if (!(bytes <= availableBytes))
        {
            long most = (long)(availableBytes / GeneratedBytesPerRow(features));
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"{flag}: got {rows}; {rows:N0} rows of {setName} need about {MemoryBudget.Format(bytes)} to generate, split and train on " +
                $"({GeneratedBytesPerRow(features)} B per row), more than the {MemoryBudget.Format(availableBytes)} this process may use. Use at most {most:N0} rows."));
        }
    }
}
