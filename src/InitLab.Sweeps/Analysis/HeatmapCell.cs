namespace InitLab.Sweeps.Analysis;

/// <summary>One cell of a <see cref="HeatmapGrid"/>.</summary>
/// <param name="X">The column's value.</param>
/// <param name="Y">The row's value.</param>
/// <param name="Summary">The metric of <paramref name="Best"/> over its seeds.</param>
/// <param name="Best">The best configuration with these (x, y) values over the axes the grid leaves free.</param>
/// <param name="Candidates">How many configurations had these (x, y) values (1 when every other axis is fixed).</param>
public sealed record HeatmapCell(string X, string Y, MetricSummary Summary, ConfigurationGroup Best, int Candidates);
