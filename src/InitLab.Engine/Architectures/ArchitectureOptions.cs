namespace InitLab.Architectures;

/// <summary>What <see cref="ArchitectureBuilder"/> builds, by name: the flags <c>--arch</c>, <c>--width</c>,
/// <c>--blocks</c>, <c>--block-layers</c>, <c>--norm</c>, <c>--residual-init</c>, <c>--parametrization</c> and
/// <c>--base-width</c> of <c>train</c>, <c>diagnose</c> and <c>sweep</c>.</summary>
public sealed record ArchitectureOptions
{
    /// <summary>Features per sample.</summary>
    public required int InputDim { get; init; }

    /// <summary>Output units.</summary>
    public required int Outputs { get; init; }

    /// <summary>The shape.</summary>
    public Architecture Architecture { get; init; } = Architecture.ResMlp;

    /// <summary>Hidden width (every hidden layer of an MLP, the stem and every block of a residual MLP).</summary>
    public int Width { get; init; } = 64;

    /// <summary>Hidden layers of an <see cref="Architecture.Mlp"/>.</summary>
    public int Depth { get; init; } = 2;

    /// <summary>Residual blocks of a <see cref="Architecture.ResMlp"/> (L in the formulas).</summary>
    public int Blocks { get; init; } = 4;

    /// <summary>Dense layers per residual branch (m in the formulas), ≥ 1; Fixup needs ≥ 2.</summary>
    public int BlockLayers { get; init; } = 2;

    /// <summary>Hidden activation name.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Kernel initializer of the hidden layers (name).</summary>
    public string KernelInitializer { get; init; } = "he_normal";

    /// <summary>Bias initializer of every Dense layer (name).</summary>
    public string BiasInitializer { get; init; } = "zeros";

    /// <summary>Output activation name (softmax for classes, linear for regression, …).</summary>
    public string OutputActivation { get; init; } = "softmax";

    /// <summary>Kernel initializer of the output layer (name).</summary>
    public string OutputInitializer { get; init; } = "glorot_uniform";

    /// <summary>The normalization in each block (or after each hidden Dense of an MLP).</summary>
    public Normalization Normalization { get; init; } = Normalization.None;

    /// <summary>How the residual branches start.</summary>
    public ResidualInit ResidualInit { get; init; } = ResidualInit.None;

    /// <summary>How init variances and learning rates scale with the width (<see cref="Parametrizations"/>; the learning
    /// rates are set on the built model by <see cref="Parametrizations.ApplyLearningRates(Training.Sequential, ArchitectureOptions, OptimizerFamily)"/>).</summary>
    public Parametrization Parametrization { get; init; } = Parametrization.Standard;

    /// <summary>The width at which every parametrization equals the standard one, ≥ 0 (0: <see cref="Width"/>, so the
    /// parametrization changes nothing).</summary>
    public int BaseWidth { get; init; }

    /// <summary>Whether the output layer's kernel and bias start at zero (microsoft/mup's <c>MuReadout(readout_zero_init=True)</c>:
    /// μP's output variance ∝ 1/fan_in² tends to 0, and the zero start is that limit at every width). Off: the output
    /// kernel is drawn from <see cref="OutputInitializer"/>, scaled as the parametrization says (μP: variance ∝ 1/fan_in²).
    /// Works under every parametrization; Fixup zeroes the output kernel anyway.</summary>
    public bool OutputZeroInit { get; init; }
}
