namespace InitLab.Diagnostics;

/// <summary>The output of one layer on a probe batch, for layers that are not Dense: a normalization layer's output (whose
/// scale is γ's, not the input's), or a top-level layer of a residual model (the residual stream).</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Kind">Keras class name (BatchNormalization, LayerNormalization, Residual, Dense, …).</param>
/// <param name="Width">Output width.</param>
/// <param name="Mean">Mean of the output over rows × units.</param>
/// <param name="Std">Population std of the output.</param>
/// <param name="MeanSquare">E[output²].</param>
public sealed record OutputSnapshot(string Layer, string Kind, int Width, double Mean, double Std, double MeanSquare);
