using System.Globalization;

namespace InitLab.Common;

/// <summary>
/// How much memory this process may use, for estimate-and-refuse checks before a large allocation: a file header or a
/// flag that asks for more than this cannot succeed, and failing early with the number beats an
/// <see cref="OutOfMemoryException"/> (or the machine swapping) after minutes of work.
/// </summary>
public static class MemoryBudget
{
    /// <summary>The GC's limit for this process: physical memory, or the container's limit when there is one.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Whether <paramref name="bytes"/> could be allocated at all (at most <see cref="AvailableBytes"/>).</summary>
    /// <param name="bytes">The estimate; negative means it overflowed and is treated as too large.</param>
    /// <returns>True when the estimate fits.</returns>
    public static bool Fits(long bytes) => bytes >= 0 && bytes <= AvailableBytes;

    /// <summary>Bytes in binary units for messages: <c>512 B</c>, <c>3.2 MiB</c>, <c>16.0 GiB</c>.</summary>
    /// <param name="bytes">A size in bytes (a double, so estimates beyond <see cref="long.MaxValue"/> still print).</param>
    /// <returns>The text.</returns>
    public static string Format(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:F0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:F1} {units[unit]}");
    }
}
