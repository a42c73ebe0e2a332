namespace InitLab.Theory;

/// <summary>The fixed-point quantities of <see cref="MeanField"/> for one (φ, σ_w², σ_b²).</summary>
/// <param name="Activation">φ's name.</param>
/// <param name="WeightVariance">σ_w².</param>
/// <param name="BiasVariance">σ_b².</param>
/// <param name="LengthFixedPoint">q* (0 when the signal dies, +∞ when it grows without bound).</param>
/// <param name="Chi1">χ₁ = σ_w²·E[φ′(√q*·z)²]: &lt; 1 ordered, &gt; 1 chaotic.</param>
/// <param name="CorrelationFixedPoint">c* (1 in the ordered phase).</param>
/// <param name="ChiC">χ_c, the slope of the correlation map at c*.</param>
/// <param name="LengthDepthScale">ξ_q in layers.</param>
/// <param name="CorrelationDepthScale">ξ_c in layers (+∞ at criticality).</param>
/// <param name="GradientFactor">Per-layer growth of the mean squared gradient going backward (χ₁).</param>
public sealed record MeanFieldSummary(string Activation, double WeightVariance, double BiasVariance, double LengthFixedPoint,
    double Chi1, double CorrelationFixedPoint, double ChiC, double LengthDepthScale, double CorrelationDepthScale, double GradientFactor);
