using System.Globalization;
using InitLab.Common;

namespace InitLab.Data;

/// <summary>
/// Counts what a reader holds in memory as it goes and stops it with a clear error past a limit: a CSV has no size in
/// its header to check up front, and a pipe or a device (<c>/dev/zero</c>, a FIFO fed forever) has no end, so without
/// this a bad input grows the process until the machine swaps.
/// </summary>
internal struct ReadBudget(string file, long byteLimit)
{
    /// <summary>Half of what the GC lets this process use: room left for the tensors built from the data.</summary>
    public static long DefaultBytes => MemoryBudget.AvailableBytes / 2;

    private long held;

    /// <summary>The bytes a string of this length occupies (object header, length, UTF-16 characters) plus a list slot.</summary>
    public static long StringBytes(string text) => 32 + (2L * text.Length);

    /// <summary>Counts <paramref name="bytes"/> more; throws once the total passes the limit.</summary>
    /// <exception cref="DataFormatException">The data would hold more than the limit.</exception>
    public void Add(long bytes, int row)
    {
        held += bytes;
        if (held > byteLimit)
        {
            throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{file}: after {row:N0} rows the data already needs more than {MemoryBudget.Format(byteLimit)} of memory (half of what this process may use, {MemoryBudget.Format(MemoryBudget.AvailableBytes)}); the file is too large to load, or has no end (a pipe or device). Use a smaller file or a sample of it."));
        }
    }
}
