using InitLab.Persistence;
using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>The house look of a report figure and how it becomes a PNG file: one place for every plotting class.</summary>
internal static class FigureFile
{
    /// <summary>A plot with the bundled fonts, a 13 pt title and 12 pt axis labels.</summary>
    public static Plot NewPlot(string title, string x, string y)
    {
        PlotFonts.Register();
        var plot = new Plot();
        plot.Title(title, 13);
        plot.XLabel(x, 12);
        plot.YLabel(y, 12);
        return plot;
    }

    /// <summary>Writes the plot as <paramref name="file"/> in <paramref name="folder"/> (atomically) and returns it with its caption.
    /// The legend goes below the axes, outside the data area, so it can never cover a line.</summary>
    public static ReportFigure Save(Plot plot, string folder, string file, string caption, int width, int height, bool legend = true)
    {
        if (legend)
        {
            plot.ShowLegend(Edge.Bottom);
        }
        using var image = plot.GetImage(width, height);
        AtomicFile.WriteAllBytes(Path.Combine(folder, file), image.GetImageBytes(ImageFormat.Png, 100));
        return new ReportFigure(file, caption);
    }
}
