namespace InitLab.Kernels;

/// <summary>What a fused GEMM output pass (<see cref="Gemm.MultiplyBiasActivation"/>) applies to each finished tile of
/// z = op(A)·op(B) (+ bias) to produce the activation a.</summary>
internal enum OutputActivation
{
    /// <summary>a = z (a copy).</summary>
    Linear,

    /// <summary>a = max(z, 0), NaN kept.</summary>
    Relu,

    /// <summary>a = the <see cref="RowActivation"/> given with it, called on each tile row.</summary>
    Rows,
}
