namespace InitLab.Cli.Rendering;

/// <summary>A figure of the report: its PNG file (beside report.html) and the caption that says what to see in it, with
/// the measured numbers.</summary>
/// <param name="File">PNG file name.</param>
/// <param name="Caption">What the figure shows.</param>
internal sealed record ReportFigure(string File, string Caption);
