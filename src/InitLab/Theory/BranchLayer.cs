using InitLab.Activations;

namespace InitLab.Theory;

/// <summary>One Dense layer of a residual branch, for <see cref="ResidualVariance.DenseBranchMeanSquare"/>.</summary>
/// <param name="Activation">φ (elementwise).</param>
/// <param name="WeightVariance">σ_w² = fan_in·Var(w) (2 for He; 2/(2L) for He scaled as GPT-2; 0 for a zero layer).</param>
/// <param name="BiasVariance">σ_b² = E[b²] (0 for zero biases).</param>
public sealed record BranchLayer(Activation Activation, double WeightVariance, double BiasVariance = 0);
