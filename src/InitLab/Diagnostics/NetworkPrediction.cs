namespace InitLab.Diagnostics;

/// <summary>The mean-field prediction for a whole model of Dense, activation, normalization and residual layers
/// (<see cref="NetworkPropagation.Predict"/>).</summary>
/// <param name="Dense">Per Dense layer, in the order of <see cref="Training.Sequential.DenseLayers"/>
/// (<see cref="LayerPrediction.GradientFactor"/> is NaN after a normalization layer, whose Jacobian couples the units).</param>
/// <param name="Blocks">Per residual block, in forward order.</param>
/// <param name="Caveats">Where the prediction is an approximation, in plain words (empty when it is mean-field exact).</param>
public sealed record NetworkPrediction(IReadOnlyList<LayerPrediction> Dense, IReadOnlyList<BlockPrediction> Blocks, IReadOnlyList<string> Caveats);
