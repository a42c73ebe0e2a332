namespace InitLab.Diagnostics;

/// <summary>The mean-field prediction for one residual block (see <see cref="Theory.ResidualVariance"/>).</summary>
/// <param name="Block">Block name.</param>
/// <param name="InputMeanSquare">Predicted q_x = E[x²] of the block's input.</param>
/// <param name="BranchMeanSquare">Predicted q_F = E[F(x)²], before α.</param>
/// <param name="ShortcutMeanSquare">Predicted q_s = E[s(x)²] (q_x for the identity).</param>
/// <param name="OutputMeanSquare">Predicted q_y = q_s + α²·q_F.</param>
/// <param name="Alpha">α used.</param>
/// <param name="BranchNormalized">Whether the branch holds a normalization layer: then q_F is set by γ and β
/// (γ²·v/(v + ε) + β² after it), not by q_x, exact in mean square but only approximately Gaussian.</param>
public sealed record BlockPrediction(
    string Block,
    double InputMeanSquare,
    double BranchMeanSquare,
    double ShortcutMeanSquare,
    double OutputMeanSquare,
    double Alpha,
    bool BranchNormalized)
{
    /// <summary>α²·q_F/q_x.</summary>
    public double BranchToInputRatio => InputMeanSquare > 0 ? Alpha * Alpha * BranchMeanSquare / InputMeanSquare : double.NaN;

    /// <summary>q_y/q_x = 1 + α²·q_F/q_x for an identity shortcut.</summary>
    public double Growth => InputMeanSquare > 0 ? OutputMeanSquare / InputMeanSquare : double.NaN;
}
