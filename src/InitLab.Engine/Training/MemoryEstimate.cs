namespace InitLab.Training;

/// <summary>
/// What a Dense stack needs before any of it is allocated, so a width typo (<c>--layers 2,1000000000,1</c>) is refused
/// with a number instead of ending in an <see cref="OutOfMemoryException"/> or an internal size error. Computed in
/// double: the estimate itself can never overflow.
/// </summary>
/// <param name="TotalBytes">
/// Bytes to train: for each layer with fan-in n and m units, the kernel and bias with their gradients and up to
/// two optimizer slots per parameter (Adam's m and v): 4 · (n·m + m) · 4 bytes; four batch buffers of rows · m values
/// (pre-activation, activation and both gradients): 16 · rows · m bytes; and the batch input, 4 · rows · width₀ bytes.
/// </param>
/// <param name="LargestArray">The most values any one buffer needs (a kernel n·m, or rows · m).</param>
/// <param name="LargestLayer">Index of the layer that needs <paramref name="LargestArray"/>.</param>
public readonly record struct MemoryEstimate(double TotalBytes, double LargestArray, int LargestLayer)
{
    /// <summary>Estimates training a stack with these widths (input first) on batches of <paramref name="batchRows"/>.</summary>
    /// <param name="widths">All widths, input first, each ≥ 1.</param>
    /// <param name="batchRows">Rows per batch, ≥ 1.</param>
    /// <returns>The estimate.</returns>
    public static MemoryEstimate ForTraining(IReadOnlyList<int> widths, int batchRows)
    {
        ArgumentNullException.ThrowIfNull(widths);
        double total = 4.0 * batchRows * (widths.Count > 0 ? widths[0] : 0);
        double largest = 0;
        int largestLayer = 0;
        for (int i = 1; i < widths.Count; i++)
        {
            double kernel = (double)widths[i - 1] * widths[i];
            total += 4 * 4 * (kernel + widths[i]) + 16.0 * batchRows * widths[i];
            double buffer = Math.Max(kernel, (double)batchRows * widths[i]);
            if (buffer > largest)
            {
                largest = buffer;
                largestLayer = i - 1;
            }
        }
        return new MemoryEstimate(total, largest, largestLayer);
    }

    /// <summary>Whether every buffer fits in one .NET array (<see cref="Array.MaxLength"/> values).</summary>
    public bool FitsInArrays => LargestArray <= Array.MaxLength;
}
