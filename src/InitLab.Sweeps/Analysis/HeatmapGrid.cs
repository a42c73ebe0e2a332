namespace InitLab.Sweeps.Analysis;

/// <summary>
/// A metric over two axes of a sweep. Settings fixed by the filter are held; every other varying setting is free, and a
/// cell shows the best configuration over the free ones (so a grid with free axes is also the "best configuration per
/// cell" table). Cells with no configuration are null.
/// </summary>
public sealed class HeatmapGrid
{
    private HeatmapGrid(ObservedAxis x, ObservedAxis y, TrialMetric metric, IReadOnlyDictionary<string, string> filter, HeatmapCell?[,] cells)
    {
        X = x;
        Y = y;
        Metric = metric;
        Filter = filter;
        _cells = cells;
    }

    private readonly HeatmapCell?[,] _cells;

    /// <summary>The columns' axis (values restricted to those present after filtering).</summary>
    public ObservedAxis X { get; }

    /// <summary>The rows' axis.</summary>
    public ObservedAxis Y { get; }

    /// <summary>The metric shown.</summary>
    public TrialMetric Metric { get; }

    /// <summary>The settings held fixed.</summary>
    public IReadOnlyDictionary<string, string> Filter { get; }

    /// <summary>The cell at (column, row), or null when no configuration has those values.</summary>
    /// <param name="column">Index into <see cref="X"/>'s values.</param>
    /// <param name="row">Index into <see cref="Y"/>'s values.</param>
    public HeatmapCell? this[int column, int row] => _cells[column, row];

    /// <summary>Every non-empty cell, row by row.</summary>
    public IEnumerable<HeatmapCell> Cells()
    {
        for (int row = 0; row < Y.Values.Count; row++)
        {
            for (int column = 0; column < X.Values.Count; column++)
            {
                if (_cells[column, row] is HeatmapCell cell)
                {
                    yield return cell;
                }
            }
        }
    }

    /// <summary>Builds the grid.</summary>
    /// <param name="groups">Configurations of one sweep.</param>
    /// <param name="xAxis">Setting along the columns.</param>
    /// <param name="yAxis">Setting along the rows (different from <paramref name="xAxis"/>).</param>
    /// <param name="metric">What the cells show.</param>
    /// <param name="filter">Settings to hold at a value (null: none).</param>
    /// <returns>The grid; its axes hold only values that some filtered configuration has.</returns>
    /// <exception cref="ArgumentException">The two axes are the same, or no configuration sets both after filtering.</exception>
    public static HeatmapGrid Build(IReadOnlyList<ConfigurationGroup> groups, string xAxis, string yAxis, TrialMetric metric,
        IReadOnlyDictionary<string, string>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentException.ThrowIfNullOrWhiteSpace(xAxis);
        ArgumentException.ThrowIfNullOrWhiteSpace(yAxis);
        ArgumentNullException.ThrowIfNull(metric);
        if (string.Equals(xAxis, yAxis, StringComparison.Ordinal))
        {
            throw new ArgumentException($"HeatmapGrid: the two axes must differ; both are '{xAxis}'.", nameof(yAxis));
        }
        ConfigurationGroup[] kept = [.. groups.Where(g => g.Matches(filter) && g[xAxis] is not null && g[yAxis] is not null)];
        if (kept.Length == 0)
        {
            string filterText = filter is null || filter.Count == 0 ? "" : " with " + string.Join(", ", filter.Select(kv => $"{kv.Key}={kv.Value}"));
            throw new ArgumentException($"HeatmapGrid: no configuration sets both '{xAxis}' and '{yAxis}'{filterText}.", nameof(groups));
        }
        ObservedAxis x = ObservedAxis.Of(xAxis, kept.Select(g => g[xAxis]!));
        ObservedAxis y = ObservedAxis.Of(yAxis, kept.Select(g => g[yAxis]!));
        var cells = new HeatmapCell?[x.Values.Count, y.Values.Count];
        for (int column = 0; column < x.Values.Count; column++)
        {
            for (int row = 0; row < y.Values.Count; row++)
            {
                string xValue = x.Values[column], yValue = y.Values[row];
                ConfigurationGroup[] candidates = [.. kept.Where(g => g[xAxis] == xValue && g[yAxis] == yValue)];
                if (SweepAnalysis.Best(candidates, metric) is var (best, summary))
                {
                    cells[column, row] = new HeatmapCell(xValue, yValue, summary, best, candidates.Length);
                }
            }
        }
        return new HeatmapGrid(x, y, metric, filter ?? new Dictionary<string, string>(), cells);
    }
}
