namespace InitLab.Kernels;

/// <summary>The GEMM micro-kernels; <see cref="KernelPlan"/> picks one per processor.</summary>
public enum GemmKernel
{
    /// <summary><see cref="Gemm.Reference"/>: plain scalar loops (no vector unit, or forced).</summary>
    Scalar,

    /// <summary>AVX2 + FMA, 6 rows × 16 columns (12 ymm accumulators).</summary>
    Avx2X6x16,

    /// <summary>AVX-512, 8 rows × 32 columns, broadcasts into a register (16 zmm accumulators); tuned on AMD Zen 5.</summary>
    Avx512X8x32,

    /// <summary>AVX-512, 24 rows × 16 columns, FMAs with embedded-broadcast memory operands (24 zmm accumulators);
    /// for Intel cores, whose two FMA ports need more independent chains and fewer separate broadcast µops.</summary>
    Avx512X24x16,
}
