using System.Globalization;
using System.Net;
using System.Text;
using InitLab.Persistence;
using InitLab.Practicals.Papers;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>The paper practicals' part of results.json and report.html: per check the paper, the formula, its prediction
/// and the measurement side by side, and a histogram of the measured spectrum.</summary>
internal static class PaperReport
{
    public static List<Dictionary<string, object?>> Json(IReadOnlyList<PaperCheck> checks) =>
    [
        .. checks.Select(c => new Dictionary<string, object?>
        {
            ["case"] = c.Case,
            ["variant"] = c.Variant,
            ["paper"] = c.Paper,
            ["formula"] = c.Formula,
            ["claim"] = c.Claim,
            ["predicted"] = c.Predicted,
            ["measured"] = c.Measured,
            ["measured_per_seed"] = c.PerSeed.ToList(),
            ["criterion"] = c.Criterion,
            ["matches"] = c.Passed,
            ["seconds"] = c.Seconds,
        }),
    ];

    public static string Html(string folder, IReadOnlyList<PaperCheck> checks)
    {
        var html = new StringBuilder();
        foreach (var group in checks.GroupBy(c => c.Case))
        {
            var list = group.ToList();
            html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"{Encode(group.Key)}\">{Encode(group.Key)} (paper)</h2>");
            html.Append(CultureInfo.InvariantCulture, $"<p><b>Source:</b> {Encode(list[0].Paper)}. <b>Formula checked:</b> <code>{Encode(list[0].Formula)}</code>. ");
            html.Append(CultureInfo.InvariantCulture, $"<b>{list.Count(c => c.Passed)} of {list.Count}</b> networks agree with the paper's claim.</p>");
            html.Append("<table class=\"case\"><tr><th>network</th><th>paper's claim</th><th>predicted</th><th>measured (per seed)</th><th>criterion</th><th></th></tr>");
            foreach (PaperCheck c in list)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(c.Variant)}</td><td>{Encode(c.Claim)}</td><td class=\"num\">{Number(c.Predicted)}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Number(c.Measured)}{(c.PerSeed.Count > 0 ? $" ({string.Join(", ", c.PerSeed.Select(Number))})" : string.Empty)}</td><td>{Encode(c.Criterion)}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"{(c.Passed ? "ok" : "bad")}\">{(c.Passed ? "✓" : "✗")}</td></tr>");
            }
            html.Append("</table>");
            IEnumerable<ReportFigure> figures = PaperCurveFigures.For(folder, group.Key, list) ?? (list.Any(c => c.Samples.Count > 0)
                ? list.GroupBy(c => c.Variant.Split('@')[0]).Select(network => SpectrumFigure(folder, group.Key, network.Key, [.. network]))
                : list.Where(c => c.MeasuredTrajectory.Count > 0).GroupBy(c => c.Variant.Split(' ')[^1]).Select(q => TrajectoryFigure(folder, group.Key, q.Key, [.. q])));
            figures = group.Key switch { "finite-width" => FiniteWidthFigures.Draw(folder, list), "deep-linear" => DeepLinearFigures.Draw(folder, list), "residual-depth" => ResidualDepthFigures.Draw(folder, list), "norm-rescue" => NormRescueFigures.Draw(folder, list), "mup-transfer" => MupFigures.Transfer(folder, list), "coord-check" => MupFigures.CoordCheck(folder, list), "irnn" => RecurrentFigures.Irnn(folder, list), "forget-bias" => RecurrentFigures.ForgetBias(folder, list), "orthogonal-rnn" => RecurrentFigures.OrthogonalRnn(folder, list), "deep-cnn" => DeepCnnFigures.Draw(folder, list), _ => figures };
            foreach (ReportFigure figure in figures)
            {
                string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, figure.File)));
                html.Append(CultureInfo.InvariantCulture,
                    $"<figure><img alt=\"{Encode(figure.Caption)}\" src=\"data:image/png;base64,{data}\"><figcaption>{Encode(figure.Caption)} <span class=\"small\">({Encode(figure.File)})</span></figcaption></figure>");
            }
        }
        return html.ToString();
    }

    /// <summary>Histogram of the first seed's squared singular values, one line per depth.</summary>
    private static ReportFigure SpectrumFigure(string folder, string caseName, string network, IReadOnlyList<PaperCheck> depths)
    {
        PlotFonts.Register();
        var plot = new Plot();
        plot.Title($"{caseName}: {network}, squared singular values of the input–output Jacobian (seed 1)", 13);
        plot.XLabel("σ² / mean σ² (clipped at 4)", 12);
        plot.YLabel("density", 12);
        for (int i = 0; i < depths.Count; i++)
        {
            (double[] centres, double[] density) = Density(depths[i].Samples, 0, 4, 40);
            var line = plot.Add.Scatter(centres, density);
            PlotAxes.Look(i, variant: i).Apply(line);
            line.MarkerSize = 5;
            line.LegendText = depths[i].Variant;
        }
        plot.ShowLegend(Edge.Bottom);
        string file = $"{caseName}-{PracticalPlots.Slug(network)}.png";
        using (var image = plot.GetImage(900, 440))
        {
            AtomicFile.WriteAllBytes(Path.Combine(folder, file), image.GetImageBytes(ImageFormat.Png, 100));
        }
        string caption = $"{network}: {depths[0].Claim} Paper: Var[σ²] = " +
            string.Join("; ", depths.Select(d => FormattableString.Invariant($"{Number(d.Predicted)} at {d.Variant.Split('@')[1]} layers"))) +
            ". Measured (mean over seeds): " +
            string.Join("; ", depths.Select(d => FormattableString.Invariant($"{Number(d.Measured)} at {d.Variant.Split('@')[1]} layers{(d.Passed ? "" : " (disagrees)")}"))) + ".";
        return new ReportFigure(file, caption);
    }

    /// <summary>One quantity (q or c) per layer: measured (markers) and the mean-field map (dashed), one colour per setting.</summary>
    private static ReportFigure TrajectoryFigure(string folder, string caseName, string quantity, IReadOnlyList<PaperCheck> checks)
    {
        PlotFonts.Register();
        var plot = new Plot();
        plot.Title($"{caseName}: {quantity} per layer, measured (markers) vs the mean-field map (dashed)", 13);
        plot.XLabel("layer", 12);
        plot.YLabel(quantity, 12);
        for (int i = 0; i < checks.Count; i++)
        {
            double[] layers = [.. Enumerable.Range(1, checks[i].MeasuredTrajectory.Count).Select(l => (double)l)];
            var measured = plot.Add.Scatter(layers, checks[i].MeasuredTrajectory.ToArray());
            PlotAxes.Look(i, variant: 0).Apply(measured);
            measured.LineWidth = 0;
            measured.MarkerSize = 6;
            measured.LegendText = checks[i].Variant + " measured";
            var predicted = plot.Add.Scatter(layers, checks[i].PredictedTrajectory.ToArray());
            PlotAxes.Look(i, variant: 0).Apply(predicted);
            predicted.MarkerSize = 0;
            predicted.LinePattern = LinePattern.Dashed;
            predicted.LegendText = checks[i].Variant + " map";
        }
        plot.ShowLegend(Edge.Bottom);
        string file = $"{caseName}-{PracticalPlots.Slug(quantity)}.png";
        using (var image = plot.GetImage(900, 480))
        {
            AtomicFile.WriteAllBytes(Path.Combine(folder, file), image.GetImageBytes(ImageFormat.Png, 100));
        }
        string caption = $"{quantity} per layer. " + string.Join(" ", checks.Select(c =>
            FormattableString.Invariant($"{c.Variant}: paper's map gives {Number(c.Predicted)} at the last layer, measured {Number(c.Measured)} ({c.Criterion}: {(c.Passed ? "agrees" : "disagrees")}).")));
        return new ReportFigure(file, caption);
    }

    private static (double[] Centres, double[] Density) Density(IReadOnlyList<double> values, double low, double high, int bins)
    {
        var counts = new double[bins];
        double width = (high - low) / bins;
        foreach (double v in values)
        {
            int bin = Math.Clamp((int)Math.Floor((v - low) / width), 0, bins - 1); // clipped: the heavy tail lands in the last bin
            counts[bin]++;
        }
        double scale = values.Count == 0 ? 0 : 1.0 / (values.Count * width);
        return ([.. Enumerable.Range(0, bins).Select(i => low + (i + 0.5) * width)], [.. counts.Select(c => c * scale)]);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double value) => double.IsNaN(value) ? "—" : Math.Abs(value) < 1e-9 ? value.ToString("0.0E+0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);
}
