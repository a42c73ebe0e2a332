namespace InitLab.Diagnostics;

/// <summary>
/// One residual block y = s(x) + α·F(x) on a probe batch: the second moments (mean squares, what the variance
/// recursion <see cref="Theory.ResidualVariance"/> propagates) and standard deviations of its input x, branch F(x)
/// (before α), shortcut s(x) and output y, over rows × units. A block whose branch adds much more than its input
/// (<see cref="BranchToInputRatio"/> ≫ 1 in every block) makes the stack's scale grow geometrically.
/// </summary>
/// <param name="Block">Block name.</param>
/// <param name="Width">Output width.</param>
/// <param name="Alpha">α at the time of the probe.</param>
/// <param name="InputMeanSquare">E[x²] of the block's input.</param>
/// <param name="BranchMeanSquare">E[F(x)²], before α.</param>
/// <param name="BranchStd">Population std of F(x).</param>
/// <param name="ShortcutMeanSquare">E[s(x)²] (the input itself for the identity shortcut).</param>
/// <param name="ShortcutStd">Population std of s(x).</param>
/// <param name="OutputMeanSquare">E[y²].</param>
/// <param name="OutputStd">Population std of y.</param>
/// <param name="BranchNormalized">Whether the branch holds a BatchNormalization or LayerNormalization (then the branch's
/// scale is set by γ, not by the block's input: see <see cref="Theory.ResidualVariance"/>).</param>
public sealed record BlockSnapshot(
    string Block,
    int Width,
    double Alpha,
    double InputMeanSquare,
    double BranchMeanSquare,
    double BranchStd,
    double ShortcutMeanSquare,
    double ShortcutStd,
    double OutputMeanSquare,
    double OutputStd,
    bool BranchNormalized)
{
    /// <summary>α²·E[F²]/E[x²]: what the branch adds to the block's second moment, relative to its input
    /// ("Var F / Var x" with α folded in; 0 for SkipInit/ReZero at α = 0).</summary>
    public double BranchToInputRatio => InputMeanSquare > 0 ? Alpha * Alpha * BranchMeanSquare / InputMeanSquare : double.NaN;

    /// <summary>E[y²]/E[x²]: the block's growth factor (1 + <see cref="BranchToInputRatio"/> for an identity shortcut, up to
    /// the finite-width cross term 2α·E[s·F]/E[x²], zero in expectation at initialisation).</summary>
    public double Growth => InputMeanSquare > 0 ? OutputMeanSquare / InputMeanSquare : double.NaN;
}
