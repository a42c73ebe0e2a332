using System.Globalization;
using InitLab.Persistence;
using InitLab.Practicals.Papers;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>The figures of the paper practicals whose curves run over layers, epochs or depth with more than one quantity
/// per case (lsuv, born-dead): measured values as markers, the paper's formula (or the compared baseline) dashed.</summary>
internal static class PaperCurveFigures
{
    /// <summary>The figures of <paramref name="caseName"/>, or null when the case draws the generic paper figures.</summary>
    public static IEnumerable<ReportFigure>? For(string folder, string caseName, IReadOnlyList<PaperCheck> checks) => caseName switch
    {
        "lsuv" => Lsuv(folder, checks),
        "born-dead" => BornDead(folder, checks),
        _ => null,
    };

    private static IEnumerable<ReportFigure> Lsuv(string folder, IReadOnlyList<PaperCheck> checks)
    {
        var variance = checks.Where(c => c.Variant.EndsWith(" before", StringComparison.Ordinal) || c.Variant.EndsWith(" after", StringComparison.Ordinal)).ToList();
        yield return Draw(folder, "lsuv-variance.png", "lsuv: pre-activation variance per layer, before and after LSUV", "layer", "Var(z_l) (log scale)",
            [.. variance.Select(c => new Series(c.Variant, c.MeasuredTrajectory, c.PredictedTrajectory, c.Variant.EndsWith("before", StringComparison.Ordinal) ? "length map" : "target 1"))],
            log: true, Caption("Variance per layer", variance));
        var gains = checks.Where(c => c.Variant.EndsWith(" gain", StringComparison.Ordinal)).ToList();
        yield return Draw(folder, "lsuv-gain.png", "lsuv: scale applied per layer (‖W after‖/‖W before‖), measured vs 1/√E[φ(z)²]", "layer", "gain",
            [.. gains.Select(c => new Series(c.Variant, c.MeasuredTrajectory, c.PredictedTrajectory, "1/√E[φ(z)²]"))], log: false, Caption("Gain", gains), firstX: 2);
        foreach (var activation in checks.Where(c => c.Variant.Contains(" training vs ", StringComparison.Ordinal)).GroupBy(c => c.Variant.Split(' ')[0]))
        {
            var list = activation.ToList();
            Series[] series =
            [
                new("lsuv", list[0].MeasuredTrajectory, [], null),
                .. list.Select(c => new Series(c.Variant.Split(" vs ")[1], [], c.PredictedTrajectory, null)),
            ];
            yield return Draw(folder, $"lsuv-training-{activation.Key}.png", $"lsuv: training loss per epoch, {activation.Key} (mean over nets)", "epoch",
                "training loss", series, log: false, $"Training, {activation.Key} (the paper's claim: LSUV's loss is no higher). " + string.Join(" ", list.Select(c =>
                    string.Create(CultureInfo.InvariantCulture, $"{c.Variant.Split(" vs ")[1]}: loss {Number(c.Predicted)}, LSUV {Number(c.Measured)} ({c.Criterion}: {(c.Passed ? "agrees" : "disagrees")})."))));
        }
    }

    private static IEnumerable<ReportFigure> BornDead(string folder, IReadOnlyList<PaperCheck> checks)
    {
        foreach (var kind in checks.Where(c => c.MeasuredTrajectory.Count > 0).GroupBy(c => c.Variant.Split(' ', 3)[^1]))
        {
            var list = kind.ToList();
            yield return Draw(folder, $"born-dead-{PracticalPlots.Slug(kind.Key)}.png", $"born-dead: probability that the net is dead at initialisation ({kind.Key})",
                "depth (hidden ReLU layers)", "P(dead)", [.. list.Select(c => new Series(c.Variant, c.MeasuredTrajectory, c.PredictedTrajectory, "formula"))],
                log: false, Caption($"P(dead), {kind.Key}", list));
        }
    }

    /// <summary>One curve: measured markers and a dashed line (the formula or a compared run); either may be empty.</summary>
    private sealed record Series(string Label, IReadOnlyList<double> Measured, IReadOnlyList<double> Dashed, string? DashedLabel);

    private static ReportFigure Draw(string folder, string file, string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool log, string caption, int firstX = 1)
    {
        PlotFonts.Register();
        var plot = new Plot();
        plot.Title(title, 13);
        plot.XLabel(xLabel, 12);
        plot.YLabel(yLabel, 12);
        var scale = PlotAxes.ScaleFor(series.SelectMany(s => s.Measured.Concat(s.Dashed)));
        int count = series.Max(s => Math.Max(s.Measured.Count, s.Dashed.Count));
        for (int i = 0; i < series.Count; i++)
        {
            Series s = series[i];
            SeriesLook look = PlotAxes.Look(i);
            if (s.Measured.Count > 0)
            {
                double[] xs = [.. Enumerable.Range(firstX, s.Measured.Count).Select(x => (double)x)];
                var measured = plot.Add.Scatter(xs, [.. s.Measured.Select(v => log ? scale.Y(v) : v)]);
                look.Apply(measured);
                measured.LineWidth = 0;
                measured.MarkerSize = 6;
                measured.LegendText = s.Label + " measured";
            }
            if (s.Dashed.Count > 0)
            {
                double[] xs = [.. Enumerable.Range(firstX, s.Dashed.Count).Select(x => (double)x)];
                var dashed = plot.Add.Scatter(xs, [.. s.Dashed.Select(v => log ? scale.Y(v) : v)]);
                look.Apply(dashed);
                dashed.MarkerSize = 0;
                dashed.LinePattern = LinePattern.Dashed;
                dashed.LegendText = s.DashedLabel is null ? s.Label : $"{s.Label} {s.DashedLabel}";
            }
        }
        PlotAxes.WholeTicks(plot, count + firstX - 1);
        if (log)
        {
            PlotAxes.LogTicks(plot, scale);
        }
        plot.ShowLegend(Edge.Bottom);
        using (var image = plot.GetImage(900, 480))
        {
            AtomicFile.WriteAllBytes(Path.Combine(folder, file), image.GetImageBytes(ImageFormat.Png, 100));
        }
        return new ReportFigure(file, caption);
    }

    /// <summary>"Title. variant: paper's value X, measured Y (criterion: agrees)." per check.</summary>
    private static string Caption(string title, IReadOnlyList<PaperCheck> checks) => $"{title}. " + string.Join(" ", checks.Select(c =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Variant}: paper {Number(c.Predicted)}, measured {Number(c.Measured)} ({c.Criterion}: {(c.Passed ? "agrees" : "disagrees")}).")));

    private static string Number(double value) => double.IsNaN(value) ? "—" : value.ToString("G3", CultureInfo.InvariantCulture);
}
