using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Common;
using InitLab.Persistence;
using InitLab.Sweeps;
using InitLab.Sweeps.Analysis;

namespace InitLab.Cli.Rendering;

/// <summary>
/// Writes a sweep's report into a folder: results.json (every configuration's metrics over seeds, the best configuration
/// per cell, the phase diagram's numbers), the PNG figures, and report.html — one self-contained page (figures inline, the
/// data embedded as JSON, an interactive heatmap drawn by the page's own script, no network).
/// </summary>
internal static class SweepReport
{
    /// <summary>What was written, for the console summary.</summary>
    /// <param name="Figures">The figures, in page order.</param>
    /// <param name="Diagrams">The phase diagrams (one per activation with a σ_w² × depth grid).</param>
    /// <param name="Configurations">Configurations in the sweep.</param>
    public sealed record Outcome(IReadOnlyList<ReportFigure> Figures, IReadOnlyList<TrainabilityDiagram> Diagrams, int Configurations);

    public static Outcome Write(string folder, SweepInfo sweep, IReadOnlyList<TrialRecord> trials, SweepReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<ConfigurationGroup> groups = SweepAnalysis.GroupBySeeds(trials);
        IReadOnlyList<ObservedAxis> axes = SweepAnalysis.Axes(groups);
        bool Has(string name) => axes.Any(a => a.Name == name);
        var figures = new List<ReportFigure>();
        var bestTables = new List<(string Activation, HeatmapGrid Grid)>();
        var diagrams = new List<TrainabilityDiagram>();
        var notes = new List<string>();
        IReadOnlyList<string?> activations = axes.FirstOrDefault(a => a.Name == "activation")?.Values.Select(v => (string?)v).ToList() ?? [null];
        foreach (string? activation in activations)
        {
            Dictionary<string, string>? filter = activation is null ? null : new() { ["activation"] = activation };
            string tag = activation ?? SweepAnalysis.SharedValue(groups, "activation") ?? "all";
            string slug = PracticalPlots.Slug(tag);
            if (Has("depth") && Has("init"))
            {
                HeatmapGrid accuracy = HeatmapGrid.Build(groups, "depth", "init", TrialMetric.TestAccuracy, filter);
                bestTables.Add((tag, accuracy));
                figures.Add(SweepPlots.Heatmap(folder, $"heatmap-test-accuracy-depth-init-{slug}.png", accuracy,
                    $"{tag}: test accuracy (%) over depth × initializer", HeatmapCaption(accuracy, tag)));
                figures.Add(SweepPlots.Curves(folder, $"accuracy-vs-depth-{slug}.png", $"{tag}: test accuracy over depth (mean, min–max over seeds)",
                    "depth", "test accuracy", Rows(accuracy), CurvesCaption(accuracy, tag, options), options.Chance, Invariant($"chance ({options.Chance:P0})")));
                HeatmapGrid time = HeatmapGrid.Build(groups, "depth", "init", options.TimeToThreshold, filter);
                figures.Add(SweepPlots.Curves(folder, $"time-to-threshold-{slug}.png", $"{tag}: {options.TimeToThreshold.Label} (mean, min–max over seeds that reached it)",
                    "depth", "epochs", Rows(time), TimeCaption(time, tag)));
            }
            if (Has("sigma-w2") && Has("depth"))
            {
                TrainabilityDiagram? diagram = null;
                try
                {
                    diagram = TrainabilityDiagram.Build(groups, options.TrainableAccuracy, options.Chance, filter);
                }
                catch (ArgumentException ex)
                {
                    // E.g. a sweep mixing σ_b² values or activations without an axis to hold them apart.
                    notes.Add($"No phase diagram for {tag}: {ExceptionText.OneLine(ex)}");
                }
                if (diagram is not null)
                {
                    diagrams.Add(diagram);
                    figures.Add(SweepPlots.PhaseDiagram(folder, $"phase-diagram-{slug}.png", diagram, PhaseCaption(diagram)));
                }
                HeatmapGrid time = HeatmapGrid.Build(groups, "sigma-w2", "depth", options.TimeToThreshold, filter);
                figures.Add(SweepPlots.Heatmap(folder, $"time-to-threshold-sigma-w2-depth-{slug}.png", time,
                    $"{tag}: {options.TimeToThreshold.Label} over σ_w² × depth", TimeHeatmapCaption(time, tag)));
            }
            if (!(Has("depth") && Has("init")) && !(Has("sigma-w2") && Has("depth")))
            {
                string[] free = [.. axes.Select(a => a.Name).Where(n => n != "activation")];
                if (free.Length >= 2)
                {
                    string x = free.Contains("depth") ? "depth" : free[0];
                    string y = free.First(n => n != x);
                    HeatmapGrid grid = HeatmapGrid.Build(groups, x, y, TrialMetric.TestAccuracy, filter);
                    bestTables.Add((tag, grid));
                    figures.Add(SweepPlots.Heatmap(folder, $"heatmap-test-accuracy-{PracticalPlots.Slug(x)}-{PracticalPlots.Slug(y)}-{slug}.png", grid,
                        $"{tag}: test accuracy (%) over {SweepPlots.Label(x)} × {SweepPlots.Label(y)}", HeatmapCaption(grid, tag)));
                }
            }
        }
        JsonReport.Write(Path.Combine(folder, "results.json"), Json(sweep, trials, groups, axes, options, bestTables, diagrams));
        AtomicFile.WriteAllText(Path.Combine(folder, "report.html"), SweepPage.Html(folder, sweep, trials, groups, axes, options, figures, bestTables, diagrams, notes));
        return new Outcome(figures, diagrams, groups.Count);
    }

    private static IReadOnlyList<(string Series, IReadOnlyList<(double X, MetricSummary Summary)> Points)> Rows(HeatmapGrid grid) =>
        [.. Enumerable.Range(0, grid.Y.Values.Count).Select(row => (grid.Y.Values[row], (IReadOnlyList<(double, MetricSummary)>)[..
            Enumerable.Range(0, grid.X.Values.Count).Where(column => grid[column, row] is not null)
                .Select(column => (ObservedAxis.Number(grid.X.Values[column]), grid[column, row]!.Summary))]))];

    private static Dictionary<string, object?> Json(SweepInfo sweep, IReadOnlyList<TrialRecord> trials, IReadOnlyList<ConfigurationGroup> groups,
        IReadOnlyList<ObservedAxis> axes, SweepReportOptions options, List<(string Activation, HeatmapGrid Grid)> bestTables, List<TrainabilityDiagram> diagrams) => new()
    {
        ["generated_by"] = "initlab sweep report",
        ["sweep"] = sweep.Name,
        ["trials"] = Enum.GetValues<TrialStatus>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => (object?)trials.Count(t => t.Status == s)),
        ["options"] = new Dictionary<string, object?>
        {
            ["chance"] = options.Chance,
            ["trainable_accuracy"] = options.TrainableAccuracy,
            ["threshold_metric"] = options.ThresholdKey,
            ["threshold"] = options.Threshold,
        },
        ["axes"] = axes.Select(a => new Dictionary<string, object?> { ["name"] = a.Name, ["values"] = a.Values.ToList(), ["numeric"] = a.IsNumeric }).ToList(),
        ["configurations"] = groups.Select(g => new Dictionary<string, object?>
        {
            ["config_hash"] = g.ConfigHash,
            ["settings"] = g.Settings.ToDictionary(kv => kv.Key, kv => (object?)kv.Value),
            ["seeds"] = g.Trials.Select(t => (object?)t.Spec.Seed).ToList(),
            ["done"] = g.Done,
            ["metrics"] = options.Metrics.ToDictionary(m => m.Name, m => (object?)SummaryJson(g.Summarize(m))),
        }).ToList(),
        ["best_per_cell"] = bestTables.SelectMany(t => t.Grid.Cells().Select(c => new Dictionary<string, object?>
        {
            ["activation"] = t.Activation,
            [t.Grid.X.Name] = c.X,
            [t.Grid.Y.Name] = c.Y,
            ["best_settings"] = c.Best.Settings.ToDictionary(kv => kv.Key, kv => (object?)kv.Value),
            ["candidates"] = c.Candidates,
            ["test_accuracy"] = SummaryJson(c.Summary),
        })).ToList(),
        ["phase_diagrams"] = diagrams.Select(d => new Dictionary<string, object?>
        {
            ["activation"] = d.Activation,
            ["sigma_b2"] = d.BiasVariance,
            ["critical_sigma_w2"] = d.CriticalWeightVariance,
            ["chance"] = d.Chance,
            ["trainable_accuracy"] = d.Threshold,
            ["factor"] = d.Factor,
            ["columns"] = d.Columns.Select(c => new Dictionary<string, object?>
            {
                ["sigma_w2"] = c.WeightVariance,
                ["chi1"] = c.Chi1,
                ["xi_c"] = c.CorrelationDepthScale,
                ["theory_depth"] = c.TheoryDepth,
                ["max_trainable_depth"] = c.MaxTrainableDepth,
                ["first_untrainable_depth"] = c.FirstUntrainableDepth,
                ["ratio"] = c.Ratio,
                ["theory_within_bracket"] = c.TheoryWithinBracket,
            }).ToList(),
        }).ToList(),
    };

    internal static Dictionary<string, object?> SummaryJson(MetricSummary s) => new()
    {
        ["mean"] = s.Mean,
        ["se"] = s.StandardError,
        ["min"] = s.Min,
        ["max"] = s.Max,
        ["count"] = s.Count,
        ["total"] = s.Total,
    };

    private static string HeatmapCaption(HeatmapGrid grid, string tag)
    {
        var cells = grid.Cells().Where(c => double.IsFinite(c.Summary.Mean)).ToList();
        if (cells.Count == 0)
        {
            return $"{tag}: no finished trial yet.";
        }
        HeatmapCell best = cells.MaxBy(c => c.Summary.Mean)!, worst = cells.MinBy(c => c.Summary.Mean)!;
        string free = cells.Any(c => c.Candidates > 1) ? " Where other settings vary, a cell shows the best of them (named in the table below)." : string.Empty;
        return Invariant($"{tag}: mean test accuracy over seeds, in percent, per {SweepPlots.Label(grid.X.Name)} and {SweepPlots.Label(grid.Y.Name)}; grey = not run. ") +
            Invariant($"Best {100 * best.Summary.Mean:F1} % ({grid.Y.Name} {best.Y}, {grid.X.Name} {best.X}), worst {100 * worst.Summary.Mean:F1} % ({grid.Y.Name} {worst.Y}, {grid.X.Name} {worst.X}).") + free;
    }

    private static string CurvesCaption(HeatmapGrid grid, string tag, SweepReportOptions options)
    {
        string[] parts = [.. Enumerable.Range(0, grid.Y.Values.Count).Select(row =>
        {
            var last = Enumerable.Range(0, grid.X.Values.Count).Select(c => grid[c, row]).LastOrDefault(c => c is not null && double.IsFinite(c.Summary.Mean));
            return last is null ? $"{grid.Y.Values[row]} —" : Invariant($"{grid.Y.Values[row]} {100 * last.Summary.Mean:F0} %");
        })];
        return Invariant($"{tag}: mean test accuracy over seeds per depth, one line per {SweepPlots.Label(grid.Y.Name)}; the band spans the seeds' min–max. Chance is {options.Chance:P0}. At the deepest depth: ") +
            string.Join(", ", parts) + ".";
    }

    private static string TimeCaption(HeatmapGrid grid, string tag)
    {
        int reached = grid.Cells().Sum(c => c.Summary.Count), total = grid.Cells().Sum(c => c.Summary.Total);
        return Invariant($"{tag}: {grid.Metric.Label}, mean over the seeds that reached it (fewer is faster); {reached} of {total} trials in the shown cells reached it. A depth missing from a line: no seed got there.");
    }

    private static string TimeHeatmapCaption(HeatmapGrid grid, string tag)
    {
        int reached = grid.Cells().Sum(c => c.Summary.Count), total = grid.Cells().Sum(c => c.Summary.Total);
        return Invariant($"{tag}: {grid.Metric.Label}, mean over the seeds that reached it; \"(k/n)\" when only k of n seeds did, \"—\" when none. {reached} of {total} trials reached it.");
    }

    internal static string PhaseCaption(TrainabilityDiagram d)
    {
        var compared = d.Columns.Where(c => double.IsFinite(c.Ratio)).ToList();
        string ratios = compared.Count == 0 ? "no σ_w² has both a trainable and an untrainable depth in the grid, so no ratio is measured"
            : Invariant($"measured / {d.Factor:G3}ξ_c has median {SampleStatistics.Median([.. compared.Select(c => c.Ratio)]):F2} (range {compared.Min(c => c.Ratio):F2}–{compared.Max(c => c.Ratio):F2}) over {compared.Count} σ_w² with the boundary inside the grid");
        int within = d.Columns.Count(c => c.TheoryWithinBracket);
        return Invariant($"{d.Activation}, σ_b² = {d.BiasVariance:G3}: mean test accuracy over seeds (percent) per σ_w² and depth. Dashed orange: the critical σ_w² = {d.CriticalWeightVariance:F3} (χ₁ = 1; ordered left, chaotic right). ") +
            Invariant($"Magenta: {d.Factor:G3}·ξ_c from the mean-field calculator. Black-and-white staircase: the top of the largest depth up to which every depth reached {d.Threshold:P0} test accuracy (chance {d.Chance:P0}). ") +
            Invariant($"{ratios}; {d.Factor:G3}ξ_c lies between the last trainable and the first untrainable grid depth for {within} of {d.Columns.Count} σ_w².");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
