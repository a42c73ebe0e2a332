using InitLab.Practicals.Papers;

namespace InitLab.Cli.Rendering;

/// <summary>The residual-depth practical's figures: per depth, the mean square after every block relative to the stem's
/// for each scheme (measured vs the mean-field growth), and the training loss per epoch of the deepest nets.</summary>
internal static class ResidualDepthFigures
{
    public static IEnumerable<ReportFigure> Draw(string folder, IReadOnlyList<PaperCheck> checks)
    {
        foreach (var depth in checks.Where(c => c.Variant.EndsWith(" signal", StringComparison.Ordinal)).GroupBy(c => Depth(c.Variant)))
        {
            var list = depth.ToList();
            var curves = list.Select(c => new LogCurves.Curve(Scheme(c.Variant), [.. Enumerable.Range(0, c.MeasuredTrajectory.Count).Select(l => (double)l)],
                c.MeasuredTrajectory, c.PredictedTrajectory)).ToList();
            yield return LogCurves.Draw(folder, $"residual-depth-signal-{depth.Key}.png",
                $"residual-depth: mean square after each block ÷ the stem's, {depth.Key} blocks (geometric mean over seeds)", "block l", "q_l / q_0 (log scale)", curves,
                $"{depth.Key} blocks. He init without a residual init doubles the mean square per block (2^L; the measured geometric mean sits below the mean-field line, as a log-normal product does); fixup and skipinit hold it exactly; scaled grows by (1 + 1/(2L))^L ≈ √e; BatchNorm adds ≈ 1 per block, linearly. " +
                LogCurves.Verdicts(list));
        }
        var training = checks.Where(c => c.Variant.EndsWith(" training", StringComparison.Ordinal) && c.MeasuredTrajectory.Count > 0).ToList();
        if (training.Count > 0)
        {
            string deepest = training.Max(c => int.Parse(Depth(c.Variant), System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var list = training.Where(c => Depth(c.Variant) == deepest).ToList();
            var curves = list.Select(c => new LogCurves.Curve(Scheme(c.Variant), [.. Enumerable.Range(1, c.MeasuredTrajectory.Count).Select(e => (double)e)],
                c.MeasuredTrajectory, [])).ToList();
            yield return LogCurves.Draw(folder, "residual-depth-training.png", $"residual-depth: training loss per epoch, {deepest} blocks (mean over seeds; Adam 10⁻³)",
                "epoch", "training loss (log scale)", curves,
                $"Training at {deepest} blocks (a net that overflowed has no points). A net trains when its last epoch's loss is ≤ ½·ln 10. " + LogCurves.Verdicts(list));
        }
    }

    private static string Depth(string variant) => variant.Split(' ')[0].Split('@')[1];

    private static string Scheme(string variant) => variant.Split('@')[0];
}
