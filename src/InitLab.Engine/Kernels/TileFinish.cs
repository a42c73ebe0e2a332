namespace InitLab.Kernels;

/// <summary>
/// What a micro-kernel does as it stores a tile's last k-block in the fused output pass: z = sum (+ C) + bias[col],
/// stored to C, and a = z or max(z, 0) stored to <see cref="Output"/> (same row stride), straight from the accumulator
/// registers — no reload of the tile it has just stored (a reload right after a 512-bit store waits on store forwarding).
/// The default (null <see cref="Output"/>) is a plain store. Per element it is the one addition and the one max of
/// <see cref="OutputPass"/>, so the bits are the same.
/// </summary>
internal readonly unsafe struct TileFinish(float* bias, float* output, bool relu)
{
    /// <summary>The bias at the tile's first column, or null for none.</summary>
    public float* Bias { get; } = bias;

    /// <summary>The activation tile (row stride of C), or null for a plain store.</summary>
    public float* Output { get; } = output;

    /// <summary>Whether a = max(z, 0) rather than a = z.</summary>
    public bool Relu { get; } = relu;

    /// <summary>Whether there is a fused output pass to do.</summary>
    public bool IsActive => Output != null;
}
