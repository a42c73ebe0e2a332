using System.Globalization;
using InitLab.Practicals.Papers;

namespace InitLab.Cli.Rendering;

/// <summary>The μP practicals' figures: mup-transfer's training loss against the learning rate, one panel per
/// parametrization with one curve per width (microsoft/mup's demonstration), and coord-check's per-layer change after the
/// Adam steps against the width on log-log axes, SP beside μP.</summary>
internal static class MupFigures
{
    public static IEnumerable<ReportFigure> Transfer(string folder, IReadOnlyList<PaperCheck> checks)
    {
        double[] exponents = [.. MupTransferPractical.RateExponents.Select(k => (double)k)];
        foreach (var parametrization in checks.Where(c => c.MeasuredTrajectory.Count > 0).GroupBy(c => c.Variant.Split('@')[0]))
        {
            var list = parametrization.ToList();
            var curves = list.Select(c => new LogCurves.Curve("width " + c.Variant.Split('@')[1], exponents, c.MeasuredTrajectory, [])).ToList();
            PaperCheck? shift = checks.FirstOrDefault(c => c.Variant.StartsWith(parametrization.Key + " shift", StringComparison.Ordinal));
            string best = string.Join(", ", list.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Variant.Split('@')[1]}: 2^{c.Measured:0}")));
            yield return LogCurves.Draw(folder, $"mup-transfer-{parametrization.Key}.png",
                $"mup-transfer, {parametrization.Key}: training loss of one epoch vs Adam's learning rate (mean over seeds)", "log2 learning rate",
                "training loss (log scale)", curves,
                $"{parametrization.Key}: one curve per width (a diverged run has no point). Best rate per width: {best}. " +
                (shift is null ? string.Empty : LogCurves.Verdicts([shift])));
        }
    }

    public static IEnumerable<ReportFigure> CoordCheck(string folder, IReadOnlyList<PaperCheck> checks)
    {
        var change = checks.Where(c => c.Variant.EndsWith(" change", StringComparison.Ordinal) && c.MeasuredTrajectory.Count > 0).ToList();
        if (change.Count == 0)
        {
            yield break;
        }
        // Every check of a run has the same widths; the figure's x axis is log2(width), from the practical's width lists.
        int count = change[0].MeasuredTrajectory.Count;
        IReadOnlyList<int> widths = count == CoordCheckPractical.Widths.Count ? CoordCheckPractical.Widths : CoordCheckPractical.QuickWidths;
        double[] xs = [.. widths.Select(w => Math.Log2(w))];
        yield return LogCurves.Draw(folder, "coord-check-change.png",
            $"coord-check: RMS change of each layer's output after {CoordCheckPractical.Steps} Adam steps vs width (geometric mean over seeds)",
            "log2 width", "RMS change per coordinate (log scale)",
            [.. change.Select(c => new LogCurves.Curve(c.Variant.Split(' ')[0], xs, c.MeasuredTrajectory, c.PredictedTrajectory))],
            "Log-log: a slope of 1 is a doubling per doubling of the width. Dashed: the limit slope from width 64's value. " + LogCurves.Verdicts(change));
    }
}
