using InitLab.Diagnostics;
using InitLab.Persistence;
using InitLab.Practicals;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>The report's figures (ScottPlot 5, PNG). Values spanning decades are plotted as log10.</summary>
internal static class PracticalPlots
{
    private const int Width = 760;
    private const int Height = 420;

    public static string LossCurves(string folder, string caseName, IReadOnlyList<PracticalResult> results)
    {
        var plot = NewPlot($"{caseName}: training loss (seed 1)", "epoch", "loss");
        foreach (var r in results)
        {
            var losses = r.Runs[0].LossHistory;
            if (losses.Count == 0)
            {
                continue;
            }
            var line = plot.Add.Scatter(Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray(), losses.ToArray());
            line.LegendText = Label(r);
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        return Save(plot, folder, $"loss-{caseName}.png", legend: true);
    }

    public static string ActivationStd(string folder, string caseName, IReadOnlyList<PracticalResult> results)
    {
        var plot = NewPlot($"{caseName}: activation std per layer at init (measured median, predicted dashed)", "layer", "log10 activation std");
        foreach (var r in results)
        {
            double[] measured = [.. r.MedianAtInit(l => l.ActivationStd).SkipLast(1)];
            var line = plot.Add.Scatter(Layers(measured.Length), Log10(measured));
            line.LegendText = Label(r);
            line.LineWidth = 2;
            line.Color = ColorFor(results, r);
            if (r.Predicted is { } predicted)
            {
                var dashed = plot.Add.Scatter(Layers(measured.Length), Log10([.. predicted.SkipLast(1).Select(p => p.ActivationStd)]));
                dashed.Color = line.Color;
                dashed.LinePattern = LinePattern.Dashed;
                dashed.MarkerSize = 0;
            }
        }
        return Save(plot, folder, $"activation-std-{caseName}.png", legend: true, legendAt: Alignment.LowerLeft);
    }

    public static string GradientNorms(string folder, string caseName, IReadOnlyList<PracticalResult> results)
    {
        var plot = NewPlot($"{caseName}: gradient norm per layer at init (median over seeds)", "layer (last = output)", "log10 ‖∇‖");
        foreach (var r in results)
        {
            double[] norms = [.. r.MedianAtInit(l => l.GradientNorm)];
            var line = plot.Add.Scatter(Layers(norms.Length), Log10(norms));
            line.LegendText = Label(r);
            line.LineWidth = 2;
            line.Color = ColorFor(results, r);
        }
        return Save(plot, folder, $"grad-norm-{caseName}.png", legend: true);
    }

    public static string Histograms(string folder, PracticalResult result)
    {
        var plot = NewPlot($"{result.Case.Id}: activation histograms per layer at init ({result.Case.KernelInitializer}, {result.Case.Activation})",
            "activation value", "density");
        for (int layer = 0; layer < result.ActivationSamples.Count; layer++)
        {
            float[] values = result.ActivationSamples[layer];
            (double[] centres, double[] density) = Density(values, -1, 1, 60);
            var line = plot.Add.Scatter(centres, density);
            line.LegendText = $"layer {layer + 1}";
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        return Save(plot, folder, $"histograms-{result.Case.Case}-{Slug(result.Case.Variant)}.png", legend: true);
    }

    public static string? DecisionBoundary(string folder, PracticalResult result)
    {
        if (result.DecisionGrid is not DecisionGrid grid)
        {
            return null;
        }
        var plot = NewPlot($"{result.Case.Id}: decision boundary (seed 1)", "x₁", "x₂");
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
            markers.LegendText = $"class {label}";
        }
        plot.Axes.SetLimits(grid.MinX, grid.MaxX, grid.MinY, grid.MaxY);
        return Save(plot, folder, $"boundary-{result.Case.Case}-{Slug(result.Case.Variant)}.png", legend: true, width: 520, height: 460);
    }

    public static string PropagationBands(string folder, IReadOnlyDictionary<string, PropagationBands> bands, int width)
    {
        var plot = NewPlot($"ReLU, {bands.Values.First().Layers} layers × {width}: E[z²] per layer, 10th–90th percentile over seeds; mean-field prediction dashed",
            "layer", "log10 E[z²]");
        foreach (var (name, band) in bands)
        {
            double[] layers = Layers(band.Layers);
            var fill = plot.Add.FillY(layers, Log10(band.P10), Log10(band.P90));
            var median = plot.Add.Scatter(layers, Log10(band.Median));
            median.LegendText = $"{name} (median)";
            median.LineWidth = 2;
            median.MarkerSize = 0;
            fill.FillColor = median.Color.WithAlpha(0.25);
            fill.LineColor = median.Color.WithAlpha(0.4);
            if (band.Predicted.Length > 0)
            {
                var predicted = plot.Add.Scatter(layers, Log10(band.Predicted));
                predicted.LegendText = $"{name} (predicted)";
                predicted.Color = median.Color;
                predicted.LinePattern = LinePattern.Dashed;
                predicted.MarkerSize = 0;
            }
        }
        return Save(plot, folder, "propagation-depth30.png", legend: true);
    }

    private static Plot NewPlot(string title, string x, string y)
    {
        PlotFonts.Register();
        var plot = new Plot();
        plot.Title(title, 13);
        plot.XLabel(x, 12);
        plot.YLabel(y, 12);
        return plot;
    }

    private static string Save(Plot plot, string folder, string file, bool legend, int width = Width, int height = Height, Alignment legendAt = Alignment.UpperRight)
    {
        if (legend)
        {
            plot.ShowLegend(legendAt);
        }
        using var image = plot.GetImage(width, height);
        AtomicFile.WriteAllBytes(Path.Combine(folder, file), image.GetImageBytes(ImageFormat.Png, 100));
        return file;
    }

    // In a sweep the same initializer keeps its colour at every depth (the lines differ in length), so eight series
    // read as two families instead of eight unrelated colours.
    private static Color ColorFor(IReadOnlyList<PracticalResult> results, PracticalResult r)
    {
        var palette = new ScottPlot.Palettes.Category10();
        bool sweep = results.Select(x => x.Case.KernelInitializer).Distinct().Count() < results.Count
            && results.Select(x => x.Case.Activation).Distinct().Count() == 1;
        int index = sweep
            ? results.Select(x => x.Case.KernelInitializer).Distinct().ToList().IndexOf(r.Case.KernelInitializer)
            : results.ToList().IndexOf(r);
        return palette.GetColor(index);
    }

    private static string Label(PracticalResult r) => r.Case.Variant.Length == 0 ? r.Case.KernelInitializer : r.Case.Variant;

    private static double[] Layers(int count) => [.. Enumerable.Range(1, count).Select(i => (double)i)];

    // log10 with a floor, so exact zeros (dead or all-zero layers) stay on the chart at the bottom instead of −∞.
    private static double[] Log10(IEnumerable<double> values) => [.. values.Select(v => Math.Log10(Math.Max(v, 1e-30)))];

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

    internal static string Slug(string text) => text.Length == 0 ? "all" : string.Concat(text.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-'));
}
