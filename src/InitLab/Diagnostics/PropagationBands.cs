using InitLab.Common;
using InitLab.Layers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>Per-layer percentiles of the measured pre-activation mean square over many seeds, beside the mean-field prediction.</summary>
/// <param name="Layers">Hidden layers measured.</param>
/// <param name="P10">10th percentile of E[z²] per layer.</param>
/// <param name="Median">Median per layer.</param>
/// <param name="P90">90th percentile per layer.</param>
/// <param name="Predicted">Mean-field q_l per layer.</param>
/// <param name="ActivationStdRatios">Per seed: activation std of the last hidden layer over the first's.</param>
public sealed record PropagationBands(int Layers, double[] P10, double[] Median, double[] P90, double[] Predicted, double[] ActivationStdRatios)
{
    /// <summary>Measures a plain stack of <paramref name="depth"/> Dense(<paramref name="width"/>) layers on standard
    /// normal inputs (E[x²] = 1), one forward pass per seed.</summary>
    /// <param name="activation">Hidden activation.</param>
    /// <param name="initializer">Kernel initializer (bias zeros).</param>
    /// <param name="depth">Hidden layers.</param>
    /// <param name="width">Units per layer (the input has the same width).</param>
    /// <param name="seeds">Seeds (1…seeds).</param>
    /// <param name="rows">Batch rows.</param>
    /// <returns>The bands.</returns>
    public static PropagationBands Measure(string activation, string initializer, int depth, int width, int seeds, int rows = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 2);
        var meanSquares = new double[depth][];
        var ratios = new double[seeds];
        IReadOnlyList<LayerPrediction>? predicted = null;
        for (int l = 0; l < depth; l++)
        {
            meanSquares[l] = new double[seeds];
        }
        for (int s = 0; s < seeds; s++)
        {
            var model = new Sequential(width, Enumerable.Range(0, depth).Select(_ => new Dense(width, activation, initializer)), (ulong)s + 1);
            var rng = new Rng(1000 + (ulong)s);
            var x = new float[rows * width];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (float)rng.NextNormal();
            }
            model.Predict(new Tensor(x, rows, width), rows);
            var snapshots = model.DenseLayers.Select(Probe.Summarize).ToList();
            for (int l = 0; l < depth; l++)
            {
                meanSquares[l][s] = snapshots[l].PreActivationMeanSquare;
            }
            ratios[s] = snapshots[^1].ActivationStd / snapshots[0].ActivationStd;
            predicted ??= SignalPropagation.Predict(model.DenseLayers, 1.0);
        }
        return new PropagationBands(depth,
            [.. meanSquares.Select(v => SampleStatistics.Quantile(v, 0.10))],
            [.. meanSquares.Select(v => SampleStatistics.Quantile(v, 0.50))],
            [.. meanSquares.Select(v => SampleStatistics.Quantile(v, 0.90))],
            predicted is null ? [] : [.. predicted.Select(p => p.PreActivationMeanSquare)],
            ratios);
    }
}
