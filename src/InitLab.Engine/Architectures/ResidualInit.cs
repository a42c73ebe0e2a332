namespace InitLab.Architectures;

/// <summary>How a residual network's branches start, on top of the kernel initializer (docs/residual.md has each formula
/// with its source; <see cref="ResidualInits"/> the names and descriptions).</summary>
public enum ResidualInit
{
    /// <summary>Every layer as its initializer draws it: with He init and no normalization, each block about doubles the
    /// signal's variance.</summary>
    None,

    /// <summary>Fixup (Zhang, Dauphin &amp; Ma 2019): the branch's inner kernels scaled by L^(−1/(2m−2)), its last layer and
    /// the classifier zero, scalar biases before each layer and activation, a scalar multiplier (starting at 1) per branch;
    /// no normalization.</summary>
    Fixup,

    /// <summary>SkipInit (De &amp; Smith 2020): a trainable scalar α at the end of each branch, starting at 0.</summary>
    SkipInit,

    /// <summary>ReZero (Bachlechner et al. 2020): x + α·F(x) with α trainable from 0 — in an MLP the same start as SkipInit
    /// (the papers differ in where they apply it in transformers, and ReZero also drops LayerNorm).</summary>
    ReZero,

    /// <summary>Zero-γ (Goyal et al. 2017): the last normalization layer of each branch starts with γ = 0; needs a
    /// normalization.</summary>
    ZeroGamma,

    /// <summary>Scaled (GPT-2, Radford et al. 2019): the last layer of each branch drawn with its variance divided by 2L.</summary>
    Scaled,
}
