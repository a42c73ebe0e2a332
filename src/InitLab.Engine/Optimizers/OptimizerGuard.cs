using System.Globalization;

namespace InitLab.Optimizers;

/// <summary>Range checks for hyper-parameters: the message names the optimizer, the parameter, the value received,
/// the valid range and the Keras default, and <c>ParamName</c> is the C# parameter.</summary>
internal static class OptimizerGuard
{
    /// <summary>A decay rate (β₁, β₂, ρ, μ): in [0, 1). At 1 the running average never forgets its start (and Adam's bias
    /// correction 1/(1 − β₁ᵗ) divides by zero); below 0 it oscillates.</summary>
    public static double DecayRate(double value, string paramName, string owner, double kerasDefault) =>
        value is >= 0 and < 1 ? value : throw OutOfRange(value, paramName, owner, "in [0, 1)", kerasDefault);

    /// <summary>A step size or ε: finite and &gt; 0.</summary>
    public static double Positive(double value, string paramName, string owner, double kerasDefault) =>
        value > 0 && double.IsFinite(value) ? value : throw OutOfRange(value, paramName, owner, "finite and > 0", kerasDefault);

    /// <summary>A coefficient that may be switched off (weight decay, L2, initial accumulator): finite and ≥ 0.</summary>
    public static double NonNegative(double value, string paramName, string owner, double kerasDefault) =>
        value >= 0 && double.IsFinite(value) ? value : throw OutOfRange(value, paramName, owner, "finite and >= 0", kerasDefault);

    private static ArgumentOutOfRangeException OutOfRange(double value, string paramName, string owner, string range, double kerasDefault) =>
        new(paramName, value, string.Create(CultureInfo.InvariantCulture,
            $"{owner}: {paramName} must be {range}, got {value} (Keras default {kerasDefault})."));
}
