using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>Colour, marker and dash pattern of one series.</summary>
internal readonly record struct SeriesLook(Color Color, MarkerShape Marker, LinePattern Pattern)
{
    public void Apply(ScottPlot.Plottables.Scatter scatter)
    {
        scatter.Color = Color;
        scatter.MarkerShape = Marker;
        scatter.MarkerSize = 7;
        scatter.LineWidth = 2;
        scatter.LinePattern = Pattern;
    }
}
