using System.Globalization;

namespace InitLab.Diagnostics;

/// <summary>
/// The first thing a practitioner checks: at step 0, before any learning, a classifier that spreads its probability evenly
/// over C classes has cross-entropy −ln(1/C) = ln C (2.302585 for C = 10; ln 2 per output for binary cross-entropy).
/// A loss far above it means confidently wrong initial predictions (the last layer's weights or biases too large); far
/// below it, that the task leaks or the output is already biased.
/// </summary>
/// <param name="Loss">The measured loss of the first batch (before its update).</param>
/// <param name="Classes">C.</param>
/// <param name="Expected">ln C.</param>
public sealed record InitialLossCheck(double Loss, int Classes, double Expected)
{
    /// <summary>Relative distance |loss / ln C − 1| beyond which <see cref="Warning"/> is set: 0.25. A sound initialisation
    /// (output logits of std ≲ 1) stays within it; a last layer scaled up by a few units of std leaves it.</summary>
    public const double Tolerance = 0.25;

    /// <summary>(loss − ln C) / ln C.</summary>
    public double RelativeDeviation => (Loss - Expected) / Expected;

    /// <summary>True when the loss is not finite or further than <see cref="Tolerance"/> from ln C.</summary>
    public bool IsFarOff => !double.IsFinite(Loss) || Math.Abs(RelativeDeviation) > Tolerance;

    /// <summary>A plain-words warning when <see cref="IsFarOff"/>, otherwise null.</summary>
    public string? Warning
    {
        get
        {
            if (!IsFarOff)
            {
                return null;
            }
            string advice = Loss > Expected
                ? "the untrained net is confidently wrong; scale the last layer's weights down (or zero its bias)."
                : "the untrained net already does better than chance; check for label leakage or a biased output layer.";
            return string.Create(CultureInfo.InvariantCulture,
                $"initial loss {Loss:G4} is {(Loss > Expected ? "above" : "below")} −ln(1/{Classes}) = {Expected:G4} by {Math.Abs(RelativeDeviation):P0} (tolerance {Tolerance:P0}): {advice}");
        }
    }

    /// <summary>The check for a first-batch loss, or null when the loss has no classes (regression).</summary>
    /// <param name="loss">Loss of step 0.</param>
    /// <param name="classes">C ≥ 2.</param>
    /// <returns>The check.</returns>
    public static InitialLossCheck For(double loss, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        return new InitialLossCheck(loss, classes, -Math.Log(1.0 / classes));
    }
}
