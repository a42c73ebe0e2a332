using System.Globalization;
using InitLab.Persistence;
using InitLab.Sweeps.Analysis;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>
/// The sweep report's figures (ScottPlot 5, PNG): heatmaps with the value written in every cell (so a reader needs no
/// colour scale to read a number), curves over an axis with the min–max band over seeds, and the trainability phase
/// diagram with the mean-field lines. Heatmap cells sit at grid indices with the values as tick labels, so uneven grids
/// (depth 2, 5, 10, 20, 50) get cells of equal size; curves drawn over them are placed by linear interpolation between
/// neighbouring grid values.
/// </summary>
internal static class SweepPlots
{
    private const int Width = 900;
    private const int Height = 460;

    public static ReportFigure Heatmap(string folder, string file, HeatmapGrid grid, string title, string caption)
    {
        Plot plot = FigureFile.NewPlot(title, Label(grid.X.Name), Label(grid.Y.Name));
        DrawCells(plot, grid);
        return FigureFile.Save(plot, folder, file, caption, Width, Math.Max(Height, 120 + 34 * grid.Y.Values.Count), legend: false);
    }

    /// <summary>Test accuracy over σ_w² × depth with the critical σ_w² (vertical line), ξ_c·factor (curve) and the measured
    /// largest trainable depth per σ_w² (markers).</summary>
    public static ReportFigure PhaseDiagram(string folder, string file, TrainabilityDiagram diagram, string caption)
    {
        HeatmapGrid grid = diagram.Grid;
        Plot plot = FigureFile.NewPlot(Invariant($"trainability: {diagram.Activation}, σ_b² = {diagram.BiasVariance:G3} — test accuracy"), "σ_w²", "depth (hidden layers)");
        DrawCells(plot, grid);
        double[] weights = [.. grid.X.Values.Select(ObservedAxis.Number)];
        double[] depths = [.. grid.Y.Values.Select(ObservedAxis.Number)];
        if (double.IsFinite(diagram.CriticalWeightVariance) && diagram.CriticalWeightVariance >= weights[0] && diagram.CriticalWeightVariance <= weights[^1])
        {
            var line = plot.Add.VerticalLine(IndexOf(weights, diagram.CriticalWeightVariance));
            line.Color = Colors.OrangeRed;
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 2;
            line.LegendText = Invariant($"critical σ_w² = {diagram.CriticalWeightVariance:F3} (χ₁ = 1)");
        }
        // The theory curve on a fine σ_w² grid, clipped to the plotted depth range (it diverges at criticality).
        var xs = new List<double>();
        var ys = new List<double>();
        var theory = new List<(double X, double Y)>();
        const int Samples = 200;
        for (int i = 0; i <= Samples; i++)
        {
            double w = weights[0] + (weights[^1] - weights[0]) * i / Samples;
            double depth = diagram.Factor * new InitLab.Theory.MeanField(InitLab.Activations.ActivationRegistry.Resolve(diagram.Activation), w, diagram.BiasVariance).CorrelationDepthScale;
            theory.Add((IndexOf(weights, w), double.IsFinite(depth) ? IndexOf(depths, Math.Min(depth, depths[^1] * 4)) : double.PositiveInfinity));
        }
        double top = depths.Length - 0.5;
        // One segment per stretch below the top of the plot: the curve leaves the plot near criticality and comes back.
        var segment = new List<(double X, double Y)>();
        bool labelled = false;
        void Flush()
        {
            if (segment.Count > 1)
            {
                var scatter = plot.Add.Scatter(segment.Select(p => p.X).ToArray(), segment.Select(p => p.Y).ToArray());
                scatter.Color = Colors.Magenta;
                scatter.LineWidth = 2.5f;
                scatter.MarkerSize = 0;
                scatter.LegendText = labelled ? string.Empty : Invariant($"{diagram.Factor:G3}·ξ_c (mean-field depth scale)");
                labelled = true;
            }
            segment.Clear();
        }
        foreach ((double x, double y) in theory)
        {
            if (y <= top)
            {
                segment.Add((x, Math.Max(y, -0.5)));
            }
            else
            {
                Flush();
            }
        }
        Flush();
        // The measured boundary as a staircase along the top edge of each column's last trainable cell (the bottom edge of
        // the grid when even the shallowest depth failed), so it hides none of the cells' numbers.
        var stairX = new List<double>();
        var stairY = new List<double>();
        foreach (TrainabilityColumn c in diagram.Columns)
        {
            double column = IndexOf(weights, c.WeightVariance);
            double edge = c.MaxTrainableDepth is double depth ? Math.Round(IndexOf(depths, depth)) + 0.5 : -0.5;
            stairX.AddRange([column - 0.5, column + 0.5]);
            stairY.AddRange([edge, edge]);
        }
        // Black under white: visible on the dark (untrainable) and the bright (trainable) cells alike.
        var stairs = plot.Add.Scatter(stairX.ToArray(), stairY.ToArray());
        stairs.Color = Colors.Black;
        stairs.LineWidth = 5;
        stairs.MarkerSize = 0;
        stairs.LegendText = Invariant($"measured: top of the last depth with mean test accuracy ≥ {diagram.Threshold:P0}");
        var core = plot.Add.Scatter(stairX.ToArray(), stairY.ToArray());
        core.Color = Colors.White;
        core.LineWidth = 2;
        core.MarkerSize = 0;
        plot.Axes.SetLimits(-0.5, weights.Length - 0.5, -0.5, top);
        return FigureFile.Save(plot, folder, file, caption, Width, Math.Max(520, 160 + 34 * depths.Length), legend: true);
    }

    /// <summary>One line per series value over the x axis: the mean over seeds with a min–max band.</summary>
    public static ReportFigure Curves(string folder, string file, string title, string xName, string yLabel,
        IReadOnlyList<(string Series, IReadOnlyList<(double X, MetricSummary Summary)> Points)> series, string caption, double? reference = null, string? referenceLabel = null)
    {
        Plot plot = FigureFile.NewPlot(title, Label(xName), yLabel);
        for (int i = 0; i < series.Count; i++)
        {
            var points = series[i].Points.Where(p => double.IsFinite(p.Summary.Mean)).ToList();
            if (points.Count == 0)
            {
                continue;
            }
            double[] xs = [.. points.Select(p => p.X)];
            SeriesLook look = PlotAxes.Look(i);
            if (points.Any(p => p.Summary.Count > 1))
            {
                var band = plot.Add.FillY(xs, [.. points.Select(p => p.Summary.Min)], [.. points.Select(p => p.Summary.Max)]);
                band.FillColor = look.Color.WithAlpha(0.18);
                band.LineColor = look.Color.WithAlpha(0.35);
            }
            var line = plot.Add.Scatter(xs, [.. points.Select(p => p.Summary.Mean)]);
            look.Apply(line);
            line.LegendText = series[i].Series;
        }
        // Ticks at the grid's values only: a depth of 3.5 was never run.
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (double x in series.SelectMany(s => s.Points).Select(p => p.X).Distinct().Order())
        {
            ticks.AddMajor(x, x.ToString("G4", CultureInfo.InvariantCulture));
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        if (yLabel.Contains("accuracy", StringComparison.Ordinal))
        {
            plot.Axes.SetLimitsY(0, 1.02);
        }
        if (reference is double y)
        {
            var rule = plot.Add.HorizontalLine(y);
            rule.Color = Colors.Black.WithAlpha(0.6);
            rule.LinePattern = LinePattern.Dotted;
            rule.LineWidth = 1.5f;
            rule.LegendText = referenceLabel ?? string.Empty;
        }
        return FigureFile.Save(plot, folder, file, caption, Width, Height, legend: true);
    }

    /// <summary>Position of a value on an index axis: linear between the neighbouring grid values, clamped at the ends.</summary>
    internal static double IndexOf(double[] grid, double value)
    {
        if (grid.Length == 1 || value <= grid[0])
        {
            return grid.Length == 1 ? 0 : (value - grid[0]) / (grid[1] - grid[0]);
        }
        for (int i = 1; i < grid.Length; i++)
        {
            if (value <= grid[i])
            {
                return i - 1 + (value - grid[i - 1]) / (grid[i] - grid[i - 1]);
            }
        }
        return grid.Length - 1 + (value - grid[^1]) / (grid[^1] - grid[^2]);
    }

    private static void DrawCells(Plot plot, HeatmapGrid grid)
    {
        int columns = grid.X.Values.Count, rows = grid.Y.Values.Count;
        var data = new double[rows, columns];
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                // Heatmap row 0 is drawn at the top; the grid's first row (smallest value) goes at the bottom.
                data[rows - 1 - row, column] = grid[column, row]?.Summary.Mean ?? double.NaN;
            }
        }
        bool fraction = grid.Metric.Name.StartsWith("test_accuracy", StringComparison.Ordinal) || grid.Metric.Name.StartsWith("train_accuracy", StringComparison.Ordinal);
        var finite = grid.Cells().Select(c => c.Summary.Mean).Where(double.IsFinite).ToList();
        double low = fraction ? 0 : finite.DefaultIfEmpty(0).Min(), high = fraction ? 1 : finite.DefaultIfEmpty(1).Max();
        if (!(high > low))
        {
            // One value or none (e.g. no trial reached the threshold): a unit range, so the colour scale stays defined.
            high = low + 1;
        }
        ScottPlot.Plottables.Heatmap? heatmap = null;
        if (finite.Count > 0)
        {
            heatmap = plot.Add.Heatmap(data);
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            heatmap.NaNCellColor = Colors.LightGray;
            heatmap.ManualRange = new ScottPlot.Range(low, high);
            // Rectangle sets the outer edges; Extent/Position would set the edge cells' centres and clip them to half cells.
            heatmap.Rectangle = new CoordinateRect(-0.5, columns - 0.5, -0.5, rows - 0.5);
        }
        else
        {
            // ScottPlot cannot scale a heatmap without one finite value: every cell is "—" on grey.
            var blank = plot.Add.Rectangle(-0.5, columns - 0.5, -0.5, rows - 0.5);
            blank.FillColor = Colors.LightGray;
            blank.LineWidth = 0;
        }
        foreach (HeatmapCell cell in grid.Cells())
        {
            int column = IndexIn(grid.X.Values, cell.X), row = IndexIn(grid.Y.Values, cell.Y);
            double mean = cell.Summary.Mean;
            var text = plot.Add.Text(CellText(mean, fraction, cell.Summary), column, row);
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelFontSize = columns > 12 ? 9 : 11;
            // Dark text on the bright (yellow-green) end of viridis, white on the dark end.
            double shade = high > low && double.IsFinite(mean) ? (mean - low) / (high - low) : 0;
            text.LabelFontColor = shade > 0.6 || heatmap is null ? Colors.Black : Colors.White;
        }
        if (heatmap is not null)
        {
            var colorbar = plot.Add.ColorBar(heatmap);
            colorbar.Label = grid.Metric.Label;
        }
        CategoryTicks(plot.Axes.Bottom, grid.X.Values);
        CategoryTicks(plot.Axes.Left, grid.Y.Values);
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
    }

    private static string CellText(double mean, bool fraction, MetricSummary summary)
    {
        if (!double.IsFinite(mean))
        {
            return "—";
        }
        string value = fraction ? Invariant($"{100 * mean:F0}") : Invariant($"{mean:G3}");
        // A cell where some seeds gave no value (diverged, threshold not reached) says how many did.
        return summary.Count < summary.Total ? Invariant($"{value} ({summary.Count}/{summary.Total})") : value;
    }

    private static void CategoryTicks(IAxis axis, IReadOnlyList<string> values)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < values.Count; i++)
        {
            ticks.AddMajor(i, values[i]);
        }
        axis.TickGenerator = ticks;
    }

    private static int IndexIn(IReadOnlyList<string> values, string value)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new InvalidOperationException($"'{value}' is not on the axis.");
    }

    internal static string Label(string axis) => axis switch
    {
        "depth" => "depth (hidden layers)",
        "init" => "initializer",
        "sigma-w2" => "σ_w²",
        "sigma-b2" => "σ_b²",
        "lr" => "learning rate",
        "width" => "width (units per hidden layer)",
        _ => axis,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
