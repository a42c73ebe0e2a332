using InitLab.Architectures;

namespace InitLab.Experiments;

/// <summary>The network of a <see cref="TrainingRecipe"/> when it is built by <see cref="ArchitectureBuilder"/> (the
/// <c>--arch</c> flags) rather than as a plain Dense stack: everything of <see cref="ArchitectureOptions"/> that the data
/// does not decide. The input and output widths come from the data; activation, kernel and bias initializers and the
/// output activation from the recipe (the kernel initializer serves the output layer too, as in a plain stack).</summary>
/// <remarks>The defaults make <c>--arch mlp</c> alone the recipe's default plain network (2 hidden layers of 32).</remarks>
public sealed record ArchitectureRecipe
{
    /// <summary>The shape (<c>--arch</c>).</summary>
    public Architecture Architecture { get; init; } = Architecture.Mlp;

    /// <summary>Hidden width (<c>--width</c>): every hidden layer of an MLP; the stem and every block of a residual MLP.</summary>
    public int Width { get; init; } = 32;

    /// <summary>Hidden layers of an MLP (<c>--depth</c>).</summary>
    public int Depth { get; init; } = 2;

    /// <summary>Residual blocks L (<c>--blocks</c>).</summary>
    public int Blocks { get; init; } = 4;

    /// <summary>Dense layers per branch m (<c>--block-layers</c>).</summary>
    public int BlockLayers { get; init; } = 2;

    /// <summary><c>--norm</c>.</summary>
    public Normalization Normalization { get; init; } = Normalization.None;

    /// <summary><c>--residual-init</c>.</summary>
    public ResidualInit ResidualInit { get; init; } = ResidualInit.None;

    /// <summary><c>--parametrization</c>.</summary>
    public Parametrization Parametrization { get; init; } = Parametrization.Standard;

    /// <summary><c>--base-width</c> (0: <see cref="Width"/>, where every parametrization equals the standard one).</summary>
    public int BaseWidth { get; init; }

    /// <summary><c>--readout zero</c>: the output layer's kernel and bias start at 0 (microsoft/mup's
    /// <c>readout_zero_init</c>); false (<c>fan_in</c>) draws it with its initializer, scaled by the parametrization.</summary>
    public bool OutputZeroInit { get; init; }

    /// <summary>The builder's options for this data and these layer settings.</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <param name="outputs">Output units.</param>
    /// <param name="activation">Hidden activation.</param>
    /// <param name="kernelInitializer">Kernel initializer of every Dense, the output layer's included.</param>
    /// <param name="biasInitializer">Bias initializer of every Dense.</param>
    /// <param name="outputActivation">Output activation.</param>
    /// <returns>The options.</returns>
    public ArchitectureOptions ToOptions(int inputDim, int outputs, string activation, string kernelInitializer, string biasInitializer, string outputActivation) => new()
    {
        InputDim = inputDim,
        Outputs = outputs,
        Architecture = Architecture,
        Width = Width,
        Depth = Depth,
        Blocks = Blocks,
        BlockLayers = BlockLayers,
        Activation = activation,
        KernelInitializer = kernelInitializer,
        BiasInitializer = biasInitializer,
        OutputActivation = outputActivation,
        OutputInitializer = kernelInitializer,
        Normalization = Normalization,
        ResidualInit = ResidualInit,
        Parametrization = Parametrization,
        BaseWidth = BaseWidth,
        OutputZeroInit = OutputZeroInit,
    };

    /// <summary>The widths a memory estimate sees: input, every hidden Dense's width, output (block layers counted one by one).</summary>
    /// <param name="inputDim">Features per sample.</param>
    /// <param name="outputs">Output units.</param>
    /// <returns>The widths (at most <see cref="MaxEstimatedLayers"/> hidden ones: more cannot fit anyway).</returns>
    public IReadOnlyList<int> Widths(int inputDim, int outputs)
    {
        long hidden = Architecture == Architecture.Mlp ? Depth : 1 + ((long)Blocks * BlockLayers);
        return [inputDim, .. Enumerable.Repeat(Width, (int)Math.Clamp(hidden, 0, MaxEstimatedLayers)), outputs];
    }

    /// <summary>The most hidden layers <see cref="Widths"/> lists: a million layers of even 8 units need gigabytes to train,
    /// so an estimate over them already refuses what a larger count would.</summary>
    public const int MaxEstimatedLayers = 1_000_000;
}
