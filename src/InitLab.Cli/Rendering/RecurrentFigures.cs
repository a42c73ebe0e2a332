using InitLab.Data;
using InitLab.Practicals.Papers;

namespace InitLab.Cli.Rendering;

/// <summary>The recurrent practicals' figures (issue 22): irnn's and forget-bias's learning curves on the adding problem
/// against the 1/6 of predicting 1, and orthogonal-rnn's E[σ²] of ∂h_t/∂h_0 per step (measured vs the product of mean
/// tanh′²) and the singular values of ∂h_T/∂h_0 by rank.</summary>
internal static class RecurrentFigures
{
    public static IEnumerable<ReportFigure> Irnn(string folder, IReadOnlyList<PaperCheck> checks) =>
        [Learning(folder, "irnn-training.png", $"irnn: training loss on the adding problem, T = {IrnnPractical.Timesteps} (mean over seeds; Adam 10⁻³)", checks,
            $"Mean training loss per {AddingProblemTraining.Window} steps (fresh sequences every step); dashed: predicting 1 (MSE 1/6). ")];

    public static IEnumerable<ReportFigure> ForgetBias(string folder, IReadOnlyList<PaperCheck> checks) =>
        [Learning(folder, "forget-bias-training.png", $"forget-bias: LSTM({ForgetBiasPractical.Units}) training loss on the adding problem, T = {ForgetBiasPractical.Timesteps} (mean over seeds; Adam 10⁻²)",
            [.. checks.Where(c => c.MeasuredTrajectory.Count > 0)], $"Mean training loss per {AddingProblemTraining.Window} steps, forget-gate bias 0 and 1; dashed: predicting 1 (MSE 1/6). " + LogCurves.Verdicts(checks.Where(c => c.MeasuredTrajectory.Count == 0)))];

    public static IEnumerable<ReportFigure> OrthogonalRnn(string folder, IReadOnlyList<PaperCheck> checks)
    {
        double[] steps = [.. Enumerable.Range(1, OrthogonalRnnPractical.Steps).Select(t => (double)t)];
        yield return LogCurves.Draw(folder, "orthogonal-rnn-norm.png", "orthogonal-rnn: E[σ²] of ∂h_t/∂h_0 per step (geometric mean over seeds)", "step t",
            "E[σ²] (log scale)", [.. checks.Select(c => new LogCurves.Curve(c.Variant, steps, c.MeasuredTrajectory, c.PredictedTrajectory))],
            "Mean squared singular value of the unrolled Jacobian after t steps; dashed: the product of the steps' mean tanh′² (1 at zero input). " + LogCurves.Verdicts(checks));
        yield return LogCurves.Draw(folder, "orthogonal-rnn-spectrum.png", $"orthogonal-rnn: singular values of ∂h_T/∂h_0, T = {OrthogonalRnnPractical.Steps}, by rank (seed 1)", "rank",
            "σ (log scale)", [.. checks.Select(c => new LogCurves.Curve(c.Variant, [.. Enumerable.Range(1, c.Samples.Count).Select(k => (double)k)], c.Samples, []))],
            "Orthogonal U at zero input: every σ = 1; Gaussian U: σ_k ≈ |λ_k|^T spread over decades (the smallest reach double precision's floor); driven orthogonal: shrunk by tanh′ but narrow.");
    }

    private static ReportFigure Learning(string folder, string file, string title, IReadOnlyList<PaperCheck> checks, string caption)
    {
        var curves = checks.Select(c => new LogCurves.Curve(c.Variant,
            [.. Enumerable.Range(1, c.MeasuredTrajectory.Count).Select(w => (double)w * AddingProblemTraining.Window)], c.MeasuredTrajectory, [])).ToList();
        int windows = checks.Max(c => c.MeasuredTrajectory.Count);
        curves.Add(new LogCurves.Curve("predict 1", [.. Enumerable.Range(1, windows).Select(w => (double)w * AddingProblemTraining.Window)], [],
            [.. Enumerable.Repeat(AddingProblem.ConstantBaselineMse, windows)]));
        return LogCurves.Draw(folder, file, title, "step", "training MSE (log scale)", curves, caption + LogCurves.Verdicts(checks));
    }
}
