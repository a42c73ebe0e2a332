namespace InitLab.Kernels;

/// <summary>
/// An elementwise function applied by the fused GEMM output pass to one row of a finished tile (at most NR values, still
/// in L1). It must give each element the same bits wherever the element sits in the span and however long the span is,
/// because the tile grid, not the layer, decides how rows are cut.
/// </summary>
internal abstract class RowActivation
{
    /// <summary>Computes a = φ(z) for one row piece; <paramref name="a"/> has the length of <paramref name="z"/>.</summary>
    public abstract void Apply(ReadOnlySpan<float> z, Span<float> a);
}
