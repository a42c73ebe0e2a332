namespace InitLab.Architectures;

/// <summary>The network shapes <see cref="ArchitectureBuilder"/> makes.</summary>
public enum Architecture
{
    /// <summary>A plain stack: <c>Depth</c> hidden Dense layers of <c>Width</c> units (each followed by a normalization
    /// and the activation when a normalization is chosen), then the output layer.</summary>
    Mlp,

    /// <summary>A residual MLP: a Dense stem to <c>Width</c>, <c>Blocks</c> residual blocks of <c>BlockLayers</c> Dense
    /// layers each, then the output layer (block layouts: <see cref="ArchitectureBuilder"/>).</summary>
    ResMlp,
}
