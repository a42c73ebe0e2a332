namespace InitLab.Kernels;

/// <summary>A register-blocked GEMM micro-kernel: C[MR×NR] (+)= Σₚ a[p]·b[p] over packed panels.</summary>
internal interface IMicroKernel
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile.</summary>
    static abstract int NR { get; }

    /// <summary>Whether the hardware runs this kernel natively.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Runs kc rank-1 updates from an MR-panel of A and an NR-panel of B into C (row stride ldc); with an active
    /// <paramref name="finish"/>, also adds the bias and stores the activation as it stores the tile.</summary>
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, in TileFinish finish);
}
