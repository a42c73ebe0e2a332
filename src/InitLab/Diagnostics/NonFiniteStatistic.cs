using System.Globalization;

namespace InitLab.Diagnostics;

/// <summary>A measured statistic that is NaN or ±∞: float32 overflowed (|value| &gt; 3.4e38) somewhere in the pass, or a
/// NaN was produced from it. Either way the signal or the gradient has exploded, whatever the other numbers say.</summary>
/// <param name="LayerIndex">0-based layer index, or −1 for the loss.</param>
/// <param name="Layer">Layer name ("loss" for the loss).</param>
/// <param name="Statistic">What is non-finite, as shown in the diagnose table ("E[z²]", "activation std", "‖∇‖", "loss").</param>
/// <param name="Value">The value (NaN, +∞ or −∞).</param>
public sealed record NonFiniteStatistic(int LayerIndex, string Layer, string Statistic, double Value)
{
    /// <summary>Every non-finite statistic of a snapshot: each forward statistic over the layers, then the gradient norms, the loss last.
    /// Ratios derived from these (0/0 for an all-zero layer) are not statistics and are not checked.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The non-finite values, empty when all are finite.</returns>
    public static IReadOnlyList<NonFiniteStatistic> Find(ModelSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var found = new List<NonFiniteStatistic>();
        // The forward pass overflows first and the backward pass inherits it, so all forward statistics come before the
        // gradients: the first entry is where the explosion starts.
        (string Name, Func<LayerSnapshot, double> Value)[] statistics =
        [
            ("E[z²]", l => l.PreActivationMeanSquare), ("pre-activation std", l => l.PreActivationStd),
            ("activation mean", l => l.ActivationMean), ("activation std", l => l.ActivationStd), ("‖∇‖", l => l.GradientNorm),
        ];
        foreach (var (name, value) in statistics)
        {
            for (int i = 0; i < snapshot.Layers.Count; i++)
            {
                double v = value(snapshot.Layers[i]);
                if (!double.IsFinite(v))
                {
                    found.Add(new NonFiniteStatistic(i, snapshot.Layers[i].Layer, name, v));
                }
            }
        }
        if (!double.IsFinite(snapshot.Loss))
        {
            found.Add(new NonFiniteStatistic(-1, "loss", "loss", snapshot.Loss));
        }
        return found;
    }

    /// <summary>"∞", "−∞" or "NaN".</summary>
    /// <param name="value">A non-finite value.</param>
    /// <returns>The symbol.</returns>
    public static string Symbol(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "−∞" : value.ToString("G3", CultureInfo.InvariantCulture);
}
