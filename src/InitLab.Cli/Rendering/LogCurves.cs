using InitLab.Practicals.Papers;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>Curves over layers, blocks or epochs whose values span decades, measured as markers and the formula dashed, on
/// a log10 axis labelled in powers of ten: the figures of the residual-depth and norm-rescue practicals.</summary>
internal static class LogCurves
{
    /// <summary>One curve: its legend, its x values, the measured values and the formula's (either may be empty).</summary>
    public sealed record Curve(string Label, double[] Xs, IReadOnlyList<double> Measured, IReadOnlyList<double> Predicted);

    /// <summary>Draws the curves on one log axis and saves the figure.</summary>
    public static ReportFigure Draw(string folder, string file, string title, string xLabel, string yLabel, IReadOnlyList<Curve> curves, string caption, bool log = true)
    {
        Plot plot = FigureFile.NewPlot(title, xLabel, yLabel);
        var scale = PlotAxes.ScaleFor(curves.SelectMany(c => c.Measured.Concat(c.Predicted)));
        double Y(double v) => log ? (v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN) : v;
        for (int i = 0; i < curves.Count; i++)
        {
            Curve c = curves[i];
            SeriesLook look = PlotAxes.Look(i);
            if (c.Measured.Count > 0)
            {
                var measured = plot.Add.Scatter(c.Xs[..c.Measured.Count], [.. c.Measured.Select(Y)]);
                look.Apply(measured);
                measured.LineWidth = 0;
                measured.MarkerSize = 5;
                measured.LegendText = c.Label + " measured";
            }
            if (c.Predicted.Count > 0)
            {
                var predicted = plot.Add.Scatter(c.Xs[..c.Predicted.Count], [.. c.Predicted.Select(Y)]);
                look.Apply(predicted);
                predicted.MarkerSize = 0;
                predicted.LinePattern = LinePattern.Dashed;
                predicted.LegendText = c.Label + " formula";
            }
        }
        if (curves.All(c => c.Xs.Length > 0 && c.Xs[0] == 1))
        {
            PlotAxes.WholeTicks(plot, curves.Max(c => c.Xs.Length)); // layers and epochs count from 1
        }
        if (log)
        {
            PlotAxes.LogTicks(plot, scale);
        }
        return FigureFile.Save(plot, folder, file, caption, 900, 520);
    }

    /// <summary>"variant: formula X, measured Y (criterion: agrees)." for each check.</summary>
    public static string Verdicts(IEnumerable<PaperCheck> checks) => string.Join(" ", checks.Select(c => FormattableString.Invariant(
        $"{c.Variant}: formula {Number(c.Predicted)}, measured {Number(c.Measured)} ({c.Criterion}: {(c.Passed ? "agrees" : "disagrees")}).")));

    /// <summary>A number in three significant digits ("—" for NaN).</summary>
    public static string Number(double value) => double.IsNaN(value) ? "—" : value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
}
