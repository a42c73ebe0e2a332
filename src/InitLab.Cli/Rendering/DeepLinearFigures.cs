using System.Globalization;
using InitLab.Persistence;
using InitLab.Practicals.Papers;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>The deep-linear practical's figures (Saxe et al. 2014): the mode strengths' sigmoids against the exact
/// solution, and the learning time against depth for orthogonal and scaled Gaussian layers.</summary>
internal static class DeepLinearFigures
{
    public static IEnumerable<ReportFigure> Draw(string folder, IReadOnlyList<PaperCheck> checks)
    {
        List<PaperCheck> modes = [.. checks.Where(c => c.Variant.StartsWith("mode ", StringComparison.Ordinal) && c.MeasuredTrajectory.Count > 0)];
        List<PaperCheck> depths = [.. checks.Where(c => c.Variant.Contains("depth", StringComparison.Ordinal) && c.MeasuredTrajectory.Count > 0)];
        if (modes.Count > 0)
        {
            yield return Modes(folder, modes, checks.FirstOrDefault(c => c.Variant.StartsWith("t(", StringComparison.Ordinal)));
        }
        if (depths.Count > 0)
        {
            yield return Depths(folder, depths);
        }
    }

    /// <summary>u_α/s_α per step of the first net (solid) and the exact sigmoid (dashed), one colour per mode.</summary>
    private static ReportFigure Modes(string folder, List<PaperCheck> modes, PaperCheck? ratio)
    {
        Plot plot = FigureFile.NewPlot("deep-linear: mode strengths u_α/s_α of a 8→64→8 linear net (first net), measured (solid) vs exact solution (dashed)", "gradient-descent step", "u_α / s_α");
        for (int i = 0; i < modes.Count; i++)
        {
            double[] steps = [.. Enumerable.Range(0, modes[i].MeasuredTrajectory.Count).Select(k => (double)k)];
            var measured = plot.Add.Scatter(steps, modes[i].MeasuredTrajectory.ToArray());
            PlotAxes.Look(i).Apply(measured);
            measured.MarkerSize = 0;
            measured.LegendText = modes[i].Variant;
            var predicted = plot.Add.Scatter(steps, modes[i].PredictedTrajectory.ToArray());
            PlotAxes.Look(i).Apply(predicted);
            predicted.MarkerSize = 0;
            predicted.LinePattern = LinePattern.Dashed;
        }
        string caption = "Saxe et al.: from small random weights each mode follows a sigmoid and reaches s/2 at t = (τ/2s)·ln(s/u₀ − 1): strong modes first. " +
            "Paper vs measured (mean over nets), steps to s/2: " +
            string.Join("; ", modes.Select(c => Invariant($"{c.Variant}: {c.Predicted:0} vs {c.Measured:0}{(c.Passed ? "" : " (disagrees)")}"))) + ".";
        if (ratio is not null)
        {
            caption += Invariant($" Ratio {ratio.Variant}: paper {ratio.Predicted:0.00} (a pure 1/s law: {DeepLinearPractical.SingularValues[0] / DeepLinearPractical.SingularValues[^1]:0}), measured {ratio.Measured:0.00}.");
        }
        return FigureFile.Save(plot, folder, "deep-linear-modes.png", caption, 900, 480);
    }

    /// <summary>Median learning time per depth (log scale) for orthogonal and Gaussian layers.</summary>
    private static ReportFigure Depths(string folder, List<PaperCheck> checks)
    {
        Plot plot = FigureFile.NewPlot("deep-linear: learning time vs depth (learning rate 0.32/L), median over nets", "depth L (weight layers)", "steps to 1% error (log scale)");
        IReadOnlyList<int> depths = DeepLinearPractical.Depths;
        double[] xs = [.. Enumerable.Range(1, depths.Count).Select(i => (double)i)];
        var scale = PlotAxes.ScaleFor(checks.SelectMany(c => c.MeasuredTrajectory));
        for (int i = 0; i < checks.Count; i++)
        {
            PlotAxes.LogSeries(plot, scale, xs, checks[i].MeasuredTrajectory, PlotAxes.Look(i), checks[i].Variant.Split(' ')[0]);
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < depths.Count; i++)
        {
            ticks.AddMajor(xs[i], depths[i].ToString(CultureInfo.InvariantCulture));
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0.5, depths.Count + 0.5);
        PlotAxes.LogTicks(plot, scale);
        string caption = "Saxe et al.: random orthogonal layers give a depth-independent learning time, scaled Gaussian layers one that grows with depth. " +
            Invariant($"A net that has not learned within {DeepLinearPractical.DepthStepBudget} steps counts as {DeepLinearPractical.DepthStepBudget} (a lower bound). ") +
            string.Join(" ", checks.Select(c => Invariant($"{c.Variant}: paper {(double.IsNaN(c.Predicted) ? "grows" : c.Predicted.ToString("0.##", CultureInfo.InvariantCulture))}, measured ratio {c.Measured:0.##} ({c.Criterion}: {(c.Passed ? "agrees" : "disagrees")}); median steps {string.Join(", ", c.MeasuredTrajectory.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}.")));
        return FigureFile.Save(plot, folder, "deep-linear-depth.png", caption, 900, 480);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
