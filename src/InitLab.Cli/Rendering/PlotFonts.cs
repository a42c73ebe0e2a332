using ScottPlot;

namespace InitLab.Cli.Rendering;

/// <summary>Registers the DejaVu fonts shipped beside the tool. ScottPlot's Skia build draws no text at all on a machine
/// without system fonts, and without the bold face titles and axis labels vanish, so both are registered.</summary>
internal static class PlotFonts
{
    private const string Family = "Lab Sans";
    private static readonly Lock s_gate = new();
    private static bool s_registered;

    public static void Register()
    {
        lock (s_gate)
        {
            if (s_registered)
            {
                return;
            }
            string folder = Path.Combine(AppContext.BaseDirectory, "fonts");
            Fonts.AddFontFile(Family, Path.Combine(folder, "DejaVuSans.ttf"), bold: false, italic: false);
            Fonts.AddFontFile(Family, Path.Combine(folder, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
            Fonts.Default = Family;
            s_registered = true;
        }
    }
}
