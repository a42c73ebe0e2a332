using InitLab.Common;
using InitLab.Diagnostics;

namespace InitLab.Practicals;

/// <summary>One seed's run of a case.</summary>
/// <param name="Seed">Weight seed.</param>
/// <param name="Verdict">Observed verdict.</param>
/// <param name="Reason">Why, with numbers.</param>
/// <param name="AtInit">Probe snapshot before training.</param>
/// <param name="AtEnd">Probe snapshot after training (null if it diverged).</param>
/// <param name="LossHistory">Training loss per epoch.</param>
/// <param name="FinalLoss">Last training loss (NaN if diverged).</param>
/// <param name="TestAccuracy">Test accuracy after training (NaN if diverged).</param>
/// <param name="HiddenWeightChange">Mean over hidden layers of ‖W − W₀‖/‖W₀‖ (‖W − W₀‖ when W₀ = 0).</param>
/// <param name="HiddenWeightsUnchanged">Every hidden kernel and bias bit-identical after training.</param>
/// <param name="DistinctHiddenUnits">Distinct units per hidden layer after training.</param>
/// <param name="HiddenRanks">Numerical rank of each hidden kernel after training.</param>
/// <param name="Diverged">Whether the loss became NaN/∞ (the message is in <paramref name="Reason"/>).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record SeedRun(
    ulong Seed,
    Verdict Verdict,
    string Reason,
    ModelSnapshot AtInit,
    ModelSnapshot? AtEnd,
    IReadOnlyList<double> LossHistory,
    double FinalLoss,
    double TestAccuracy,
    double HiddenWeightChange,
    bool HiddenWeightsUnchanged,
    IReadOnlyList<int> DistinctHiddenUnits,
    IReadOnlyList<int> HiddenRanks,
    bool Diverged,
    double Seconds);

/// <summary>A case over all its seeds.</summary>
/// <param name="Case">The case.</param>
/// <param name="Runs">One per seed.</param>
/// <param name="Predicted">Mean-field prediction per layer at initialisation (null when the initializer has none).</param>
/// <param name="ActivationSamples">Hidden activations of the first seed's probe batch at initialisation, per layer (for histograms).</param>
/// <param name="DecisionGrid">The first seed's predicted class probability on a grid over the 2-D input (null for other data).</param>
public sealed record PracticalResult(
    PracticalCase Case,
    IReadOnlyList<SeedRun> Runs,
    IReadOnlyList<LayerPrediction>? Predicted,
    IReadOnlyList<float[]> ActivationSamples,
    DecisionGrid? DecisionGrid)
{
    /// <summary>The most frequent verdict over the seeds (ties: the earlier in the enum's order).</summary>
    public Verdict Observed => Runs.GroupBy(r => r.Verdict).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    /// <summary>Whether the observed verdict is the expected one.</summary>
    public bool Matches => Observed == Case.Expected;

    /// <summary>Total wall time over the seeds.</summary>
    public double Seconds => Runs.Sum(r => r.Seconds);

    /// <summary>Median over seeds of a per-layer quantity at initialisation.</summary>
    /// <param name="selector">The quantity.</param>
    /// <returns>Per layer.</returns>
    public IReadOnlyList<double> MedianAtInit(Func<LayerSnapshot, double> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        int layers = Runs[0].AtInit.Layers.Count;
        return [.. Enumerable.Range(0, layers).Select(l => SampleStatistics.Median([.. Runs.Select(r => selector(r.AtInit.Layers[l]))]))];
    }

    /// <summary>Mean over the seeds that did not diverge (NaN if all diverged).</summary>
    /// <param name="selector">The quantity.</param>
    /// <returns>The mean.</returns>
    public double MeanOfFinite(Func<SeedRun, double> selector)
    {
        var values = Runs.Select(selector).Where(double.IsFinite).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }
}

/// <summary>A model's output on a regular grid over a 2-D input, for decision-boundary plots.</summary>
/// <param name="MinX">Left edge.</param>
/// <param name="MaxX">Right edge.</param>
/// <param name="MinY">Bottom edge.</param>
/// <param name="MaxY">Top edge.</param>
/// <param name="Size">Points per side.</param>
/// <param name="Values">Size×Size class-1 probabilities, row-major with y increasing by row.</param>
/// <param name="PointsX">Test points, x.</param>
/// <param name="PointsY">Test points, y.</param>
/// <param name="Labels">Test labels.</param>
public sealed record DecisionGrid(double MinX, double MaxX, double MinY, double MaxY, int Size, float[] Values, float[] PointsX, float[] PointsY, int[] Labels);
