using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>
/// What <see cref="Diagnosis"/> says about a model with residual blocks or normalization layers, where the plain stack's
/// per-layer drift and initializer check do not apply: the stream's growth per block, measured beside the residual
/// variance recursion ∏(1 + α²·E[F²]/E[x²]) (<see cref="Theory.ResidualVariance"/>), where that recursion stops being a
/// product of constant factors (a branch holding BatchNormalization or LayerNormalization), and what to change.
/// </summary>
internal static class ResidualFindings
{
    /// <summary>Said when no prediction can be made.</summary>
    public const string NoPrediction =
        "no mean-field prediction: a weight has a non-zero mean, or a layer the variance recursion does not cover (a row-wise activation before the last layer).";

    /// <summary>The per-block observations: growth measured and predicted, and where the prediction stops applying.</summary>
    public static List<string> Notes(IReadOnlyList<DiagnosedBlock> blocks)
    {
        var notes = new List<string>();
        if (blocks.Count == 0)
        {
            return notes;
        }
        BlockSnapshot first = blocks[0].Measured, last = blocks[^1].Measured;
        double measured = last.OutputMeanSquare / first.InputMeanSquare;
        string predicted = blocks.All(b => b.Predicted is not null)
            ? Invariant($", predicted ×{Total(blocks.Select(b => b.Predicted!.Growth)):G3} (×{PerBlock(blocks.Select(b => b.Predicted!.Growth)):G3} per block)")
            : ", no prediction";
        double low = blocks.Min(b => b.Measured.BranchToInputRatio), high = blocks.Max(b => b.Measured.BranchToInputRatio);
        notes.Add(Invariant(
            $"residual stream over {blocks.Count} blocks: its mean square E[x²] changes ×{measured:G3} measured (×{Math.Pow(measured, 1.0 / blocks.Count):G3} per block){predicted}, by q_{{l+1}} = q_l·(1 + α²·E[F²]/q_l); each branch adds α²·E[F²]/E[x²] = {Range(low, high)} of its input."));
        if (blocks.All(b => b.Measured.Alpha == 0))
        {
            notes.Add("α = 0 in every block (SkipInit/ReZero): each block starts as the identity (×1), and only training grows the branches.");
        }
        if (blocks.Any(b => b.Measured.BranchNormalized))
        {
            notes.Add("branches holding BatchNormalization or LayerNormalization: there the branch's scale is set by γ (batch or row statistics), " +
                "not by the block's input, so α²·E[F²]/E[x²] ≈ α²γ²/E[x²] falls as the stream grows and the stream grows linearly with depth, " +
                "not by a constant factor per block; with running statistics (a trained model's inference) no initialisation prediction applies.");
        }
        return notes;
    }

    /// <summary>Advice for a model with blocks or normalization: the per-layer initializer check of
    /// <see cref="InitializerAdvisor"/> rebuilds a plain stack, which such a model is not.</summary>
    public static InitializerAdvice Advise(Sequential model, ModelSnapshot snapshot, Verdict verdict)
    {
        string init = model.DenseLayers[0].KernelInitializer.Name;
        string activation = model.DenseLayers[0].Activation.Name;
        string standard = Diagnosis.Recommend(activation);
        if (verdict == Verdict.Healthy)
        {
            return new InitializerAdvice(null, $"keep {init}: nothing to change at initialization.");
        }
        if (verdict is Verdict.Symmetric or Verdict.NoTraining)
        {
            return new InitializerAdvice(init == standard ? null : standard,
                $"use {standard}: random zero-mean weights give every unit its own signal and gradient; a skip connection or a normalization layer does not break a constant start.");
        }
        var blocks = snapshot.Blocks;
        if (verdict == Verdict.ExplodingGradients && blocks.Count > 0)
        {
            double growth = Math.Pow(blocks[^1].OutputMeanSquare / blocks[0].InputMeanSquare, 1.0 / blocks.Count);
            string perBlock = double.IsFinite(growth) ? Invariant($"×{growth:G3} per block") : "without bound";
            return new InitializerAdvice(null,
                $"the residual stream's mean square grows {perBlock}: every block adds its branch to the sum, so a per-layer initializer cannot fix it; " +
                "start the branches small — α = 0 (SkipInit, ReZero), a zero last layer per branch (Fixup), the branch's last layer variance divided by 2L (scaled, GPT-2) — " +
                "or end each branch in a normalization layer.");
        }
        string change = init == standard ? $"{init} is already the standard scale for {activation}" : $"{standard} is the standard scale for {activation}";
        return new InitializerAdvice(null,
            $"{change} (not checked on this batch: the check rebuilds a plain Dense stack); with blocks or normalization, " +
            "fewer blocks, another activation or a normalization layer in each branch change the signal where an initializer cannot.");
    }

    private static double Total(IEnumerable<double> factors) => factors.Aggregate(1.0, (p, f) => p * f);

    private static double PerBlock(IEnumerable<double> factors)
    {
        var list = factors.ToList();
        return Math.Pow(Total(list), 1.0 / list.Count);
    }

    private static string Range(double low, double high) =>
        Invariant($"{low:G3}") == Invariant($"{high:G3}") ? Invariant($"{high:G3}") : Invariant($"{low:G3}–{high:G3}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
