using System.Globalization;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>
/// Axes that tell the truth: whole-number layer ticks, log10 axes labelled as powers of ten, exact zeros on their own
/// "0 (no signal)" row below a dashed break instead of at an invented log10 floor, and one look (colour, marker, dash)
/// per series so that coinciding lines stay distinguishable.
/// </summary>
internal static class PlotAxes
{
    /// <summary>Label of the row where exact zeros are drawn on a log axis.</summary>
    public const string ZeroLabel = "0 (no signal)";

    private static readonly MarkerShape[] s_markers =
        [MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenDiamond, MarkerShape.FilledSquare, MarkerShape.OpenCircle, MarkerShape.OpenTriangleUp, MarkerShape.FilledDiamond];

    private static readonly LinePattern[] s_patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>Whole-number layer ticks 1..<paramref name="count"/>.</summary>
    public static void LayerTicks(Plot plot, int count) => WholeTicks(plot, count);

    /// <summary>Whole-number ticks 1..<paramref name="count"/> on the x axis (every 1, 2, 5 or 10, so at most ~15 labels), limits ±½ around them.</summary>
    public static void WholeTicks(Plot plot, int count)
    {
        int step = count <= 15 ? 1 : count <= 30 ? 2 : count <= 75 ? 5 : 10;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int layer = 1; layer <= count; layer++)
        {
            if (layer == 1 || layer % step == 0)
            {
                ticks.AddMajor(layer, layer.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                ticks.AddMinor(layer);
            }
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0.5, count + 0.5);
    }

    /// <summary>A log10 y axis for the given series: where its values sit and, when any value is exactly 0, the row for zeros.</summary>
    /// <param name="Low">log10 of the smallest positive value (axis bottom before padding).</param>
    /// <param name="High">log10 of the largest value.</param>
    /// <param name="ZeroRow">Where zeros are drawn (one decade below <paramref name="Low"/>), or null when there are none.</param>
    public readonly record struct LogScale(double Low, double High, double? ZeroRow)
    {
        /// <summary>The y coordinate of a value: log10 for positive values, the zero row for 0.</summary>
        public double Y(double value) => value > 0 ? Math.Log10(value) : ZeroRow ?? double.NaN;
    }

    /// <summary>Chooses the log scale for all values of a figure (non-finite values are ignored).</summary>
    public static LogScale ScaleFor(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        var positive = finite.Where(v => v > 0).Select(Math.Log10).ToList();
        bool zeros = finite.Any(v => v == 0);
        if (positive.Count == 0)
        {
            return new LogScale(0, 0, zeros ? 0 : null);
        }
        double low = Math.Floor(positive.Min()), high = positive.Max();
        return new LogScale(low, Math.Max(high, low + 1), zeros ? low - 1.5 : null);
    }

    /// <summary>Powers-of-ten ticks for <paramref name="scale"/>, with a dashed break and the "0 (no signal)" label when zeros are drawn.</summary>
    public static void LogTicks(Plot plot, LogScale scale)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        double top = Math.Ceiling(scale.High);
        double bottom = scale.Low;
        if (scale.ZeroRow is double zeroRow && top <= bottom && zeroRow == 0)
        {
            // Nothing but zeros: one row, nothing to compare it with.
            ticks.AddMajor(0, ZeroLabel);
            plot.Axes.Left.TickGenerator = ticks;
            plot.Axes.SetLimitsY(-1, 1);
            return;
        }
        int span = (int)(top - bottom);
        int step = span <= 8 ? 1 : span <= 16 ? 2 : span <= 40 ? 5 : 10;
        for (double k = bottom; k <= top; k++)
        {
            if (((int)k - (int)bottom) % step == 0)
            {
                ticks.AddMajor(k, PowerOfTen((int)k));
            }
            if (step == 1)
            {
                for (int m = 2; m <= 9 && k < top; m++)
                {
                    ticks.AddMinor(k + Math.Log10(m));
                }
            }
        }
        double lowest = bottom;
        if (scale.ZeroRow is double row)
        {
            ticks.AddMajor(row, ZeroLabel);
            var cut = plot.Add.HorizontalLine(row + 0.75);
            cut.LinePattern = LinePattern.Dashed;
            cut.Color = Colors.Gray;
            cut.LineWidth = 1;
            lowest = row;
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(lowest - 0.4, top + 0.25);
    }

    /// <summary>"10³", "10⁻¹²", "1" for 10⁰.</summary>
    public static string PowerOfTen(int exponent) => exponent switch
    {
        0 => "1",
        1 => "10",
        _ => "10" + Superscript(exponent),
    };

    /// <summary>An integer in superscript digits ("⁻¹⁵").</summary>
    public static string Superscript(int value)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        string text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        return (value < 0 ? "⁻" : string.Empty) + string.Concat(text.Select(c => digits[c - '0']));
    }

    /// <summary>
    /// Draws one series on a log axis: positive values as a line (broken where a value is 0 or non-finite), zeros as
    /// markers on the zero row. The legend entry goes on the first piece drawn.
    /// </summary>
    public static void LogSeries(Plot plot, LogScale scale, double[] xs, IReadOnlyList<double> values, SeriesLook look, string? legend)
    {
        var pieces = new List<ScottPlot.Plottables.Scatter>();
        var segmentX = new List<double>();
        var segmentY = new List<double>();
        void Flush()
        {
            if (segmentX.Count > 0)
            {
                pieces.Add(plot.Add.Scatter(segmentX.ToArray(), segmentY.ToArray()));
                segmentX.Clear();
                segmentY.Clear();
            }
        }
        var zeroX = new List<double>();
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (v > 0 && double.IsFinite(v))
            {
                segmentX.Add(xs[i]);
                segmentY.Add(Math.Log10(v));
            }
            else
            {
                Flush();
                if (v == 0)
                {
                    zeroX.Add(xs[i]);
                }
            }
        }
        Flush();
        foreach (var piece in pieces)
        {
            look.Apply(piece);
        }
        if (zeroX.Count > 0 && scale.ZeroRow is double row)
        {
            var zeros = plot.Add.Scatter(zeroX.ToArray(), [.. zeroX.Select(_ => row)]);
            look.Apply(zeros);
            zeros.LineWidth = 0;
            pieces.Add(zeros);
        }
        if (pieces.Count > 0 && legend is not null)
        {
            pieces[0].LegendText = legend;
        }
    }

    /// <summary>The look of series <paramref name="index"/>: its own colour, marker and, past the palette, dash pattern.</summary>
    public static SeriesLook Look(int index, Color? color = null, int? variant = null)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int shape = variant ?? index;
        return new SeriesLook(color ?? palette.GetColor(index), s_markers[shape % s_markers.Length],
            variant is int v ? s_patterns[v % s_patterns.Length] : LinePattern.Solid);
    }
}
