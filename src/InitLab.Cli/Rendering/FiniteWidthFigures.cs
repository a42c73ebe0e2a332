using System.Globalization;
using InitLab.Persistence;
using InitLab.Practicals.Papers;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>The finite-width practical's figures (Hanin &amp; Rolnick 2018): the spread of ln ‖a_l‖² layer by layer against
/// Σ v(n_j), and the mean signal of uncorrected vs corrected truncated normals against 0.7737^l.</summary>
internal static class FiniteWidthFigures
{
    public static IEnumerable<ReportFigure> Draw(string folder, IReadOnlyList<PaperCheck> checks)
    {
        List<PaperCheck> spread = [.. checks.Where(c => c.Samples.Count > 0)];
        List<PaperCheck> signal = [.. checks.Where(c => c.Samples.Count == 0 && c.MeasuredTrajectory.Count > 0)];
        if (spread.Count > 0)
        {
            yield return Spread(folder, spread);
        }
        if (signal.Count > 0)
        {
            yield return Signal(folder, signal, checks.FirstOrDefault(c => c.Variant.EndsWith("per-layer factor", StringComparison.Ordinal)));
        }
    }

    /// <summary>Var[ln ‖a_l‖²] per layer: measured (markers) and Σ_{j≤l} v(n_j) (dashed), one colour per architecture.</summary>
    private static ReportFigure Spread(string folder, List<PaperCheck> checks)
    {
        Plot plot = FigureFile.NewPlot("finite-width: spread of ln ‖a_l‖² over nets, measured (markers) vs Σ v(n_j) (dashed)", "layer l", "Var[ln ‖a_l‖²]");
        for (int i = 0; i < checks.Count; i++)
        {
            double[] layers = [.. Enumerable.Range(1, checks[i].MeasuredTrajectory.Count).Select(l => (double)l)];
            var measured = plot.Add.Scatter(layers, checks[i].MeasuredTrajectory.ToArray());
            PlotAxes.Look(i).Apply(measured);
            measured.LineWidth = 0;
            measured.MarkerSize = 6;
            measured.LegendText = checks[i].Variant;
            var predicted = plot.Add.Scatter(layers, checks[i].PredictedTrajectory.ToArray());
            PlotAxes.Look(i).Apply(predicted);
            predicted.MarkerSize = 0;
            predicted.LinePattern = LinePattern.Dashed;
        }
        PlotAxes.WholeTicks(plot, checks.Max(c => c.MeasuredTrajectory.Count));
        string caption = "Hanin & Rolnick: with He weights the spread of ln ‖a_L‖² over nets grows with β = Σ 1/n_j (≈ 5β), not with depth alone; " +
            "the same neurons in alternating widths spread more. Paper (exact for Gaussian weights, Σ v(n_j)) vs measured at the last layer: " +
            string.Join("; ", checks.Select(c => Invariant($"{c.Variant}: {Number(c.Predicted)} vs {Number(c.Measured)}{(c.Passed ? "" : " (disagrees)")}"))) + ".";
        return FigureFile.Save(plot, folder, "finite-width-spread.png", caption, 900, 480);
    }

    /// <summary>E[M_l/M_0] per layer on a log axis: measured (markers) and the prediction (dashed) per initializer.</summary>
    private static ReportFigure Signal(string folder, List<PaperCheck> checks, PaperCheck? factor)
    {
        Plot plot = FigureFile.NewPlot("finite-width: mean signal ‖a_l‖²/n over ‖a_0‖²/n, measured (markers) vs (n·σ_w²/2)^l (dashed)", "layer l", "E[M_l/M_0] (log scale)");
        var scale = PlotAxes.ScaleFor(checks.SelectMany(c => c.MeasuredTrajectory.Concat(c.PredictedTrajectory)));
        for (int i = 0; i < checks.Count; i++)
        {
            double[] layers = [.. Enumerable.Range(1, checks[i].MeasuredTrajectory.Count).Select(l => (double)l)];
            SeriesLook look = PlotAxes.Look(i);
            PlotAxes.LogSeries(plot, scale, layers, checks[i].MeasuredTrajectory, look with { Pattern = LinePattern.Solid }, checks[i].Variant);
            var predicted = plot.Add.Scatter(layers, [.. checks[i].PredictedTrajectory.Select(Math.Log10)]);
            look.Apply(predicted);
            predicted.MarkerSize = 0;
            predicted.LinePattern = LinePattern.Dashed;
        }
        PlotAxes.WholeTicks(plot, checks.Max(c => c.MeasuredTrajectory.Count));
        PlotAxes.LogTicks(plot, scale);
        string caption = "A ±2σ truncated normal with the nominal std √(2/n) and no 0.8796 correction has variance 0.7737·2/n, so the mean signal shrinks by 0.7737 per layer. " +
            string.Join(" ", checks.Select(c => Invariant($"{c.Variant}: paper {Number(c.Predicted)} after {c.MeasuredTrajectory.Count} layers, measured {Number(c.Measured)} ({(c.Passed ? "agrees" : "disagrees")}).")));
        if (factor is not null)
        {
            caption += Invariant($" Per-layer factor: paper {Number(factor.Predicted)}, measured {factor.Measured.ToString("0.0000", CultureInfo.InvariantCulture)}.");
        }
        return FigureFile.Save(plot, folder, "finite-width-signal.png", caption, 900, 480);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
