using System.Globalization;
using InitLab.Diagnostics;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>
/// The monitor dashboard's figures (ScottPlot 5, PNG bytes to inline): per-layer series over steps and activation
/// histograms at a few steps. Quantities spanning decades (activation std, grad:data, update:data) are drawn as log₁₀;
/// a deep net shows at most <see cref="MaxLayersShown"/> layers, evenly spaced, first and last always included.
/// </summary>
internal static class MonitorPlots
{
    /// <summary>Layers drawn per figure (the CSV and JSON hold all of them).</summary>
    public const int MaxLayersShown = 8;

    private const int Width = 900;
    private const int Height = 420;

    /// <summary>The layer indices a figure shows.</summary>
    public static IReadOnlyList<int> ShownLayers(int count)
    {
        if (count <= MaxLayersShown)
        {
            return [.. Enumerable.Range(0, count)];
        }
        return [.. Enumerable.Range(0, MaxLayersShown).Select(i => (int)Math.Round(i * (count - 1) / (double)(MaxLayersShown - 1))).Distinct()];
    }

    /// <summary>One line per shown layer over the steps; returns the PNG and the shown layers that had no finite value
    /// at any step (e.g. a gradient that underflowed to exactly 0, whose log is −∞), which the caption must name.</summary>
    public static (byte[] Png, IReadOnlyList<string> NotDrawn) OverSteps(IReadOnlyList<MonitorSample> samples, string title, string yLabel,
        Func<LayerMonitorSample, double> value, double? reference = null, string? referenceLabel = null)
    {
        var notDrawn = new List<string>();
        var plot = FigureFile.NewPlot(title, "step", yLabel);
        double[] steps = [.. samples.Select(s => (double)s.Step)];
        IReadOnlyList<int> shown = ShownLayers(samples[0].Layers.Count);
        for (int k = 0; k < shown.Count; k++)
        {
            int layer = shown[k];
            // Non-finite points (log10 of 0, NaN) are left out rather than drawn at an axis limit.
            var points = samples.Select((s, i) => (X: steps[i], Y: value(s.Layers[layer]))).Where(p => double.IsFinite(p.Y)).ToList();
            if (points.Count == 0)
            {
                notDrawn.Add(samples[0].Layers[layer].Layer);
                continue;
            }
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            PlotAxes.Look(k).Apply(line);
            line.MarkerSize = points.Count > 60 ? 0 : 5;
            line.LegendText = samples[0].Layers[layer].Layer + " (" + samples[0].Layers[layer].Activation + ")";
        }
        if (reference is double y)
        {
            var rule = plot.Add.HorizontalLine(y);
            rule.Color = Colors.Black.WithAlpha(0.7);
            rule.LinePattern = LinePattern.Dashed;
            rule.LineWidth = 1.5f;
            rule.LegendText = referenceLabel ?? string.Empty;
        }
        return (Png(plot), notDrawn);
    }

    /// <summary>The activation histograms of the hidden layers (the output layer's range and meaning differ) at one step.</summary>
    public static byte[] Histograms(MonitorSample sample)
    {
        var plot = FigureFile.NewPlot(string.Create(CultureInfo.InvariantCulture, $"activation histograms at step {sample.Step} (epoch {sample.Epoch})"),
            "activation value", "share of the layer's values (%)");
        int hidden = Math.Max(1, sample.Layers.Count - 1);
        IReadOnlyList<int> shown = ShownLayers(hidden);
        for (int k = 0; k < shown.Count; k++)
        {
            LayerMonitorSample layer = sample.Layers[shown[k]];
            ActivationHistogram h = layer.Histogram;
            int bins = h.Counts.Count;
            double total = Math.Max(1, h.Counts.Sum(c => (double)c));
            double width = (h.Upper - h.Lower) / bins;
            double[] xs = [.. Enumerable.Range(0, bins).Select(i => h.Lower + (i + 0.5) * width)];
            double[] ys = [.. h.Counts.Select(c => 100 * c / total)];
            var line = plot.Add.Scatter(xs, ys);
            PlotAxes.Look(k).Apply(line);
            line.MarkerSize = 0;
            line.LegendText = layer.Layer + " (" + layer.Activation + ")";
        }
        return Png(plot);
    }

    private static byte[] Png(Plot plot)
    {
        plot.ShowLegend(Edge.Right);
        using var image = plot.GetImage(Width, Height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }
}
