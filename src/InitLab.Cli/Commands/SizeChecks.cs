using System.Globalization;
using InitLab.Common;
using InitLab.Training;

namespace InitLab.Cli.Commands;

/// <summary>
/// Estimate-and-refuse for the widths given on the command line: a network whose buffers cannot exist (more
/// values than one array holds) or cannot fit in the memory this process may use is refused before anything is
/// allocated, naming the flag, the value and the memory it would need.
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
}
