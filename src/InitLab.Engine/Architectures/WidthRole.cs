namespace InitLab.Architectures;

/// <summary>
/// What a parameter is with respect to the width, the classification μP is written in (Yang et al. 2021, Tensor Programs
/// V, Table 3; microsoft/mup's "infshape": how many of a tensor's dimensions grow with the width).
/// </summary>
public enum WidthRole
{
    /// <summary>Input weights: fan_in fixed (the data's features), fan_out the width — the first Dense (an MLP's first
    /// hidden layer, a residual MLP's stem). mup: a vector-like weight (one infinite dimension).</summary>
    InputWeights,

    /// <summary>Hidden weights: fan_in and fan_out both the width — every Dense between the first and the last, those in
    /// residual branches and projections included. mup: a matrix-like weight (two infinite dimensions).</summary>
    HiddenWeights,

    /// <summary>Output weights: fan_in the width, fan_out fixed (the classes) — the last Dense. mup: the
    /// <c>MuReadout</c>'s weight.</summary>
    OutputWeights,

    /// <summary>A vector as long as the width: the bias of every Dense but the last, normalization γ and β. Table 3's
    /// "all biases" (a bias's fan_in is 1, its fan_out its length).</summary>
    WidthVector,

    /// <summary>Nothing grows with the width: the output layer's bias, scalars (a residual branch's α, Fixup's scalar biases),
    /// and the kernel of a net whose only Dense maps the features to the classes. Every parametrization leaves it as SP.</summary>
    Fixed,
}
