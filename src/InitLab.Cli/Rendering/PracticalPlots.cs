using System.Globalization;
using InitLab.Common;
using InitLab.Diagnostics;
using InitLab.Persistence;
using InitLab.Practicals;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>
/// The report's figures (ScottPlot 5, PNG), each with a caption that says what to see in it with the measured numbers.
/// Values spanning decades are drawn on a log axis labelled in powers of ten; exact zeros get their own row
/// (<see cref="PlotAxes.ZeroLabel"/>); layer and epoch axes have whole-number ticks; legends sit outside the plot area.
/// </summary>
internal static class PracticalPlots
{
    private const int Width = 900;
    private const int Height = 440;

    /// <summary>A loss range wider than this factor is drawn on a log axis (two decades).</summary>
    private const double LogAxisSpan = 100;

    private static readonly double Ln2 = Math.Log(2);

    public static ReportFigure LossCurves(string folder, string caseName, IReadOnlyList<PracticalResult> results)
    {
        var plot = FigureFile.NewPlot($"{caseName}: training loss per epoch (seed 1)", "epoch", "training loss");
        var finite = results.SelectMany(r => r.Runs[0].LossHistory).Where(double.IsFinite).ToList();
        bool binary = results.All(r => r.Runs[0].AtInit.Layers[^1].Units == 1);
        double smallest = finite.Where(v => v > 0).DefaultIfEmpty(1).Min(), largest = finite.DefaultIfEmpty(1).Max();
        bool log = largest / smallest > LogAxisSpan;
        var scale = PlotAxes.ScaleFor(binary ? finite.Append(Ln2) : finite);
        int epochs = results.Max(r => r.Runs[0].LossHistory.Count);
        for (int i = 0; i < results.Count; i++)
        {
            var losses = results[i].Runs[0].LossHistory;
            if (losses.Count == 0)
            {
                continue;
            }
            double[] xs = [.. Enumerable.Range(1, losses.Count).Select(e => (double)e)];
            var look = PlotAxes.Look(i);
            if (log)
            {
                PlotAxes.LogSeries(plot, scale, xs, losses, look, Label(results[i]));
            }
            else
            {
                var line = plot.Add.Scatter(xs, losses.ToArray());
                look.Apply(line);
                line.MarkerSize = 5;
                line.LegendText = Label(results[i]);
            }
        }
        if (binary)
        {
            var chance = plot.Add.HorizontalLine(log ? Math.Log10(Ln2) : Ln2);
            chance.Color = Colors.Black.WithAlpha(0.6);
            chance.LinePattern = LinePattern.Dotted;
            chance.LineWidth = 1.5f;
            chance.LegendText = "ln 2 = 0.693 (a constant 50 % guess)";
        }
        PlotAxes.WholeTicks(plot, Math.Max(1, epochs));
        if (log)
        {
            PlotAxes.LogTicks(plot, scale);
            plot.YLabel("training loss (log scale)", 12);
        }
        else
        {
            // From 0, so that a loss which does not move looks flat instead of noise blown up to the full height.
            plot.Axes.SetLimitsY(0, Math.Max(largest, binary ? Ln2 : 0) * 1.1);
        }
        return Save(plot, folder, $"loss-{caseName}.png", LossCaption(results, log, largest / smallest));
    }

    public static ReportFigure ActivationStd(string folder, string caseName, IReadOnlyList<PracticalResult> results)
    {
        var plot = FigureFile.NewPlot($"{caseName}: activation std per hidden layer at init", "hidden layer", "activation std (log scale)");
        var measured = results.Select(r => r.MedianAtInit(l => l.ActivationStd).SkipLast(1).ToArray()).ToList();
        var predicted = results.Select(r => r.Predicted?.SkipLast(1).Select(p => p.ActivationStd).ToArray()).ToList();
        var scale = PlotAxes.ScaleFor(measured.SelectMany(v => v).Concat(predicted.SelectMany(p => p ?? [])));
        bool predictionShown = false;
        for (int i = 0; i < results.Count; i++)
        {
            double[] layers = Layers(measured[i].Length);
            var look = LookFor(results, i);
            PlotAxes.LogSeries(plot, scale, layers, measured[i], look, Label(results[i]));
            if (predicted[i] is { } p && p.All(v => v > 0 && double.IsFinite(v)))
            {
                var line = plot.Add.Scatter(layers, [.. p.Select(Math.Log10)]);
                line.Color = look.Color.WithAlpha(0.7);
                line.LinePattern = LinePattern.Dotted;
                line.LineWidth = 1.5f;
                line.MarkerSize = 0;
                line.LegendText = predictionShown ? string.Empty : "mean-field prediction (dotted)";
                predictionShown = true;
            }
        }
        PlotAxes.LayerTicks(plot, measured.Max(m => m.Length));
        PlotAxes.LogTicks(plot, scale);
        return Save(plot, folder, $"activation-std-{caseName}.png", ActivationCaption(results, measured));
    }

    public static ReportFigure GradientNorms(string folder, string caseName, IReadOnlyList<PracticalResult> results)
    {
        var plot = FigureFile.NewPlot($"{caseName}: gradient norm per layer at init (median over seeds)", "layer (the last is the output layer)", "‖∇‖ (log scale)");
        var norms = results.Select(r => r.MedianAtInit(l => l.GradientNorm).ToArray()).ToList();
        var scale = PlotAxes.ScaleFor(norms.SelectMany(v => v));
        for (int i = 0; i < results.Count; i++)
        {
            PlotAxes.LogSeries(plot, scale, Layers(norms[i].Length), norms[i], LookFor(results, i), Label(results[i]));
        }
        PlotAxes.LayerTicks(plot, norms.Max(n => n.Length));
        PlotAxes.LogTicks(plot, scale);
        return Save(plot, folder, $"grad-norm-{caseName}.png", GradientCaption(results, norms));
    }

    public static ReportFigure Histograms(string folder, PracticalResult result)
    {
        var plot = FigureFile.NewPlot($"{result.Case.Id}: activations per hidden layer at init ({result.Case.KernelInitializer}, {result.Case.Activation})",
            "activation value", "density");
        for (int layer = 0; layer < result.ActivationSamples.Count; layer++)
        {
            float[] values = result.ActivationSamples[layer];
            (double[] centres, double[] density) = Density(values, -1, 1, 60);
            var line = plot.Add.Scatter(centres, density);
            PlotAxes.Look(layer, variant: layer).Apply(line);
            line.MarkerSize = 5;
            line.LegendText = $"layer {layer + 1}";
        }
        plot.Axes.SetLimitsX(-1.05, 1.05);
        var stds = result.ActivationSamples.Select(v => v.Length == 0 ? 0 : SampleStatistics.PopulationStandardDeviation(v)).ToList();
        string caption = Invariant(
            $"{result.Case.Id}: the activation std per hidden layer is {string.Join(", ", stds.Select(s => s.ToString("G2", CultureInfo.InvariantCulture)))} (layer 1 to {stds.Count}): ") +
            (stds.Count > 1 && stds[^1] < 0.75 * stds[0]
                ? Invariant($"the distribution narrows layer after layer (×{Math.Pow(stds[^1] / stds[0], 1.0 / (stds.Count - 1)):G2} per layer), as Glorot & Bengio's figure 6 shows for the standard initialization.")
                : "the distributions stay alike across the layers, as Glorot & Bengio's normalized initialization intends.");
        return Save(plot, folder, $"histograms-{result.Case.Case}-{Slug(result.Case.Variant)}.png", caption);
    }

    public static ReportFigure? DecisionBoundary(string folder, PracticalResult result)
    {
        if (result.DecisionGrid is not DecisionGrid grid)
        {
            return null;
        }
        var plot = FigureFile.NewPlot($"{result.Case.Id}: decision boundary (seed 1)", "x₁", "x₂");
        var data = new double[grid.Size, grid.Size];
        for (int r = 0; r < grid.Size; r++)
        {
            for (int c = 0; c < grid.Size; c++)
            {
                // Heatmap row 0 is drawn at the top; grid row 0 is the bottom.
                data[grid.Size - 1 - r, c] = grid.Values[r * grid.Size + c];
            }
        }
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Extent = new CoordinateRect(grid.MinX, grid.MaxX, grid.MinY, grid.MaxY);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        for (int label = 0; label < 2; label++)
        {
            double[] xs = [.. Enumerable.Range(0, grid.Labels.Length).Where(i => grid.Labels[i] == label).Select(i => (double)grid.PointsX[i])];
            double[] ys = [.. Enumerable.Range(0, grid.Labels.Length).Where(i => grid.Labels[i] == label).Select(i => (double)grid.PointsY[i])];
            var markers = plot.Add.Markers(xs, ys, label == 0 ? MarkerShape.FilledCircle : MarkerShape.FilledSquare, 5, label == 0 ? Colors.DeepSkyBlue : Colors.Orange);
            markers.LegendText = $"class {label} (test)";
        }
        plot.Axes.SetLimits(grid.MinX, grid.MaxX, grid.MinY, grid.MaxY);
        double low = grid.Values.Min(), high = grid.Values.Max();
        string range = Invariant($"{low:G3}") == Invariant($"{high:G3}") ? Invariant($"it is {low:G3} everywhere") : Invariant($"here it ranges over {low:G3}–{high:G3}");
        string caption = Invariant($"{result.Case.Id}: test accuracy {result.Runs[0].TestAccuracy:P1} (seed 1). The colour is the predicted probability of class 1 (purple 0, yellow 1); {range}") +
            (high - low < 0.05 ? ": the same answer everywhere, no boundary was learned." : ".");
        return Save(plot, folder, $"boundary-{result.Case.Case}-{Slug(result.Case.Variant)}.png", caption, width: 640, height: 460);
    }

    public static ReportFigure PropagationBands(string folder, IReadOnlyDictionary<string, PropagationBands> bands, int width)
    {
        int depth = bands.Values.First().Layers;
        var plot = FigureFile.NewPlot($"ReLU, {depth} layers × {width}: E[z²] per layer over seeds", "hidden layer", "E[z²] (log scale)");
        var scale = PlotAxes.ScaleFor(bands.Values.SelectMany(b => b.P10.Concat(b.P90).Concat(b.Predicted)));
        int index = 0;
        foreach (var (name, band) in bands)
        {
            double[] layers = Layers(band.Layers);
            var look = PlotAxes.Look(index++);
            var fill = plot.Add.FillY(layers, [.. band.P10.Select(scale.Y)], [.. band.P90.Select(scale.Y)]);
            fill.FillColor = look.Color.WithAlpha(0.2);
            fill.LineColor = look.Color.WithAlpha(0.4);
            fill.LegendText = $"{name}: 10th–90th percentile";
            PlotAxes.LogSeries(plot, scale, layers, band.Median, look, $"{name}: median");
            if (band.Predicted.Length > 0)
            {
                var predicted = plot.Add.Scatter(layers, [.. band.Predicted.Select(scale.Y)]);
                predicted.Color = Colors.Black.WithAlpha(0.7);
                predicted.LinePattern = LinePattern.Dotted;
                predicted.LineWidth = 1.5f;
                predicted.MarkerSize = 0;
                predicted.LegendText = $"{name}: mean-field prediction";
            }
        }
        PlotAxes.LayerTicks(plot, depth);
        PlotAxes.LogTicks(plot, scale);
        var parts = bands.Select(b => Invariant(
            $"{b.Key} {b.Value.Median[^1]:G2} (prediction {(b.Value.Predicted.Length > 0 ? b.Value.Predicted[^1].ToString("G2", CultureInfo.InvariantCulture) : "—")}, ratio to layer 1 {b.Value.Median[^1] / b.Value.Median[0]:G2})"));
        string caption = Invariant($"{bands.Values.First().ActivationStdRatios.Length} seeds. Median E[z²] at layer {depth}: {string.Join("; ", parts)}. ") +
            Invariant($"Glorot halves E[z²] at every ReLU layer (2{PlotAxes.Superscript(-(depth - 1))} ≈ {Math.Pow(2, -(depth - 1)):G2} after {depth - 1} steps); He keeps it. The prediction lies inside the measured band.");
        return Save(plot, folder, "propagation-depth30.png", caption);
    }

    private static string LossCaption(IReadOnlyList<PracticalResult> results, bool log, double span)
    {
        var parts = new List<string>();
        var flat = new List<string>();
        foreach (var r in results)
        {
            var losses = r.Runs[0].LossHistory;
            if (losses.Count == 0 || r.Runs[0].Diverged)
            {
                parts.Add($"{Label(r)} diverged (loss NaN/∞, not drawn)");
                continue;
            }
            parts.Add(Invariant($"{Label(r)} {losses[0]:G3} → {losses[^1]:G3}"));
            if (losses.Max() - losses.Min() < 0.01 && losses.All(v => Math.Abs(v - Ln2) < 0.01))
            {
                flat.Add(Invariant($"{Label(r)} stays within {losses.Min():F4}–{losses.Max():F4}"));
            }
        }
        string text = (log ? Invariant($"Log scale: the losses span {Math.Log10(span):F0} decades. ") : "Linear scale from 0. ") +
            $"Training loss, first → last epoch: {string.Join("; ", parts)}.";
        if (flat.Count > 0)
        {
            text += $" {string.Join("; ", flat)}: flat on the ln 2 line, the loss of a constant 50 % guess — the hidden layers do not learn.";
        }
        return text;
    }

    private static string ActivationCaption(IReadOnlyList<PracticalResult> results, List<double[]> measured)
    {
        var parts = new List<string>();
        for (int i = 0; i < results.Count; i++)
        {
            double[] s = measured[i];
            string label = Label(results[i]);
            if (s.All(v => v == 0))
            {
                parts.Add($"{label}: every hidden activation is exactly 0 (drawn on the '{PlotAxes.ZeroLabel}' row)");
            }
            else if (Array.IndexOf(s, 0.0) is int firstZero and > 0)
            {
                parts.Add(Invariant($"{label}: {s[0]:G2} at layer 1, exactly 0 from layer {firstZero + 1} on (every unit gives the same value: in float32 a saturated unit is exactly flat)"));
            }
            else if (s.Length == 1 || s[0] <= 0 || !double.IsFinite(s[^1]))
            {
                parts.Add(Invariant($"{label}: std {s[0]:G2}{(s.Length > 1 ? Invariant($" at layer 1, {s[^1]:G2} at layer {s.Length}") : string.Empty)}"));
            }
            else
            {
                double ratio = s[^1] / s[0];
                parts.Add(Invariant($"{label}: {s[0]:G2} at layer 1 → {s[^1]:G2} at layer {s.Length} (variance ×{Math.Pow(ratio, 2.0 / (s.Length - 1)):G2} per layer)"));
            }
        }
        string text = $"Activation std per hidden layer at init (median over seeds; dotted: mean-field prediction). {string.Join("; ", parts)}.";
        int deepGlorot = Enumerable.Range(0, results.Count)
            .Where(i => results[i].Case.Activation == "relu" && results[i].Case.KernelInitializer == "glorot_uniform" && measured[i].Length >= 3 && measured[i][^1] > 0)
            .DefaultIfEmpty(-1).MaxBy(i => i < 0 ? 0 : measured[i].Length);
        if (deepGlorot >= 0)
        {
            double[] s = measured[deepGlorot];
            int exponent = (int)Math.Round(Math.Log2(s[^1] / s[0]));
            text += Invariant(
                $" Under Glorot + ReLU the activation variance halves at every layer: by layer {s.Length} the std is {s[^1] / s[0]:G2} ≈ 2{PlotAxes.Superscript(exponent)} of layer 1's (mean-field: 2^(−{s.Length - 1}/2) = {Math.Pow(2, -(s.Length - 1) / 2.0):G2}).");
        }
        return text;
    }

    private static string GradientCaption(IReadOnlyList<PracticalResult> results, List<double[]> norms)
    {
        var parts = new List<string>();
        for (int i = 0; i < results.Count; i++)
        {
            double[] n = norms[i];
            string label = Label(results[i]);
            int zeros = n.Count(v => v == 0);
            if (zeros > 0)
            {
                parts.Add(Invariant($"{label}: {zeros} of {n.Length} layers get a gradient of exactly 0 ('{PlotAxes.ZeroLabel}' row)"));
            }
            else
            {
                parts.Add(Invariant($"{label}: the first layer's gradient is {n[0] / n[^1]:G2} × the output layer's"));
            }
        }
        return $"Gradient norm ‖∂loss/∂W‖ per layer at init (median over seeds). {string.Join("; ", parts)}.";
    }

    private static ReportFigure Save(Plot plot, string folder, string file, string caption, int width = Width, int height = Height) =>
        FigureFile.Save(plot, folder, file, caption, width, height);

    // In a sweep the same initializer keeps its colour at every depth and the depths differ by marker and dash, so
    // eight series read as two families, and a short series lying on a long one stays visible.
    private static SeriesLook LookFor(IReadOnlyList<PracticalResult> results, int index)
    {
        var inits = results.Select(x => x.Case.KernelInitializer).Distinct().ToList();
        bool sweep = inits.Count < results.Count && results.Select(x => x.Case.Activation).Distinct().Count() == 1;
        if (!sweep)
        {
            return PlotAxes.Look(index);
        }
        PracticalResult r = results[index];
        int family = inits.IndexOf(r.Case.KernelInitializer);
        int member = results.Take(index).Count(x => x.Case.KernelInitializer == r.Case.KernelInitializer);
        return PlotAxes.Look(family, variant: member) with { Color = new ScottPlot.Palettes.Category10().GetColor(family) };
    }

    private static string Label(PracticalResult r) => r.Case.Variant.Length == 0 ? r.Case.KernelInitializer : r.Case.Variant;

    private static double[] Layers(int count) => [.. Enumerable.Range(1, count).Select(i => (double)i)];

    private static (double[] Centres, double[] Density) Density(float[] values, double low, double high, int bins)
    {
        var counts = new double[bins];
        double width = (high - low) / bins;
        foreach (float v in values)
        {
            int bin = (int)Math.Floor((v - low) / width);
            if (bin >= 0 && bin < bins)
            {
                counts[bin]++;
            }
        }
        double scale = values.Length == 0 ? 0 : 1.0 / (values.Length * width);
        return ([.. Enumerable.Range(0, bins).Select(i => low + (i + 0.5) * width)], [.. counts.Select(c => c * scale)]);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    internal static string Slug(string text) => text.Length == 0 ? "all" : string.Concat(text.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-'));
}
