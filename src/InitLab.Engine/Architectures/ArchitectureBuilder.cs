using System.Globalization;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Architectures;

/// <summary>
/// Builds the networks of the residual and normalization practicals and of <c>--arch</c>:
/// <list type="bullet">
/// <item><b>mlp</b>: Depth × Dense(W, φ); with a normalization, Depth × [Dense(W) → Norm → φ]; then the output layer.</item>
/// <item><b>resmlp</b>: a stem Dense(W), L blocks y = x + α·F(x), then φ → output layer. Without normalization F is the
/// pre-activation branch of He et al. (2016, "Identity Mappings"), φ → Dense → φ → Dense (m Dense layers): with He init
/// each block then about doubles the variance, Var x_{l+1} = Var x_l·(1 + 1) — the explosion residual inits cure. With a
/// normalization F is ResNet's branch, [Dense → Norm → φ] × (m − 1) → Dense → Norm, whose last γ zero-γ zeroes.</item>
/// </list>
/// The residual init (<see cref="ResidualInit"/>) then changes the blocks as its paper says; docs/residual.md has the formulas.
/// The parametrization (<see cref="Parametrization"/>) scales each kernel's init variance by its <see cref="WidthRole"/>
/// (<see cref="Parametrizations.InitVarianceExponent"/>): the first Dense is the input layer, the last the output layer,
/// every other Dense (branches included) a hidden one; its learning rates are set on the built model by
/// <see cref="Parametrizations.ApplyLearningRates(Sequential, ArchitectureOptions, OptimizerFamily)"/>.
/// </summary>
public static partial class ArchitectureBuilder
{
    /// <summary>The layers of the network <paramref name="options"/> describes, unbuilt (names are given by the model).</summary>
    /// <param name="options">What to build.</param>
    /// <returns>The layers, first to last.</returns>
    /// <exception cref="ArgumentException">An option is out of range, a name unknown, or the combination impossible (e.g.
    /// Fixup with a normalization); the message names the option (its ParamName is the option's property name).</exception>
    public static IReadOnlyList<Layer> Layers(ArchitectureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        return options.Architecture == Architecture.Mlp ? Mlp(options) : ResMlp(options);
    }

    /// <summary>The model <paramref name="options"/> describes, built with <paramref name="seed"/>.</summary>
    /// <param name="options">What to build.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <returns>The model.</returns>
    public static Sequential Build(ArchitectureOptions options, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Sequential(options.InputDim, Layers(options), seed);
    }

    private static void Check(ArchitectureOptions o)
    {
        Positive(o.InputDim, nameof(o.InputDim));
        Positive(o.Outputs, nameof(o.Outputs));
        Positive(o.Width, nameof(o.Width));
        NonNegative(o.BaseWidth, nameof(o.BaseWidth));
        if (o.Architecture == Architecture.Mlp)
        {
            NonNegative(o.Depth, nameof(o.Depth));
            if (o.ResidualInit != ResidualInit.None)
            {
                throw Problem(nameof(o.ResidualInit), $"residual init '{ResidualInits.Name(o.ResidualInit)}' needs residual blocks; use the resmlp architecture, or residual init none.");
            }
            return;
        }
        Positive(o.Blocks, nameof(o.Blocks));
        Positive(o.BlockLayers, nameof(o.BlockLayers));
        switch (o.ResidualInit)
        {
            case ResidualInit.Fixup when o.Normalization != Normalization.None:
                throw Problem(nameof(o.ResidualInit), $"residual init 'fixup' replaces normalization (Zhang et al. 2019 train without it); use norm none, or zero_gamma/skipinit with {o.Normalization.ToString().ToLowerInvariant()} normalization.");
            case ResidualInit.Fixup when o.BlockLayers < 2:
                throw Problem(nameof(o.BlockLayers), string.Create(CultureInfo.InvariantCulture,
                    $"residual init 'fixup' scales a branch's inner layers by L^(-1/(2m-2)), which needs m >= 2 layers per block; got {o.BlockLayers}."));
            case ResidualInit.ZeroGamma when o.Normalization == Normalization.None:
                throw Problem(nameof(o.ResidualInit), "residual init 'zero_gamma' zeroes the last normalization layer's γ in each branch, so it needs a normalization (batch or layer); without one use skipinit, rezero, fixup or scaled.");
        }
    }

    private static List<Layer> Mlp(ArchitectureOptions o)
    {
        var layers = new List<Layer>();
        for (int i = 0; i < o.Depth; i++)
        {
            WidthRole role = i == 0 ? WidthRole.InputWeights : WidthRole.HiddenWeights;
            if (o.Normalization == Normalization.None)
            {
                layers.Add(Hidden(o, o.Activation, role));
            }
            else
            {
                layers.Add(Hidden(o, "linear", role));
                layers.Add(Norm(o, gammaZero: false));
                layers.Add(new ActivationLayer(o.Activation));
            }
        }
        layers.Add(Output(o, zero: false, o.Depth == 0 ? WidthRole.Fixed : WidthRole.OutputWeights));
        return layers;
    }

    private static List<Layer> ResMlp(ArchitectureOptions o)
    {
        var layers = new List<Layer> { Hidden(o, "linear", WidthRole.InputWeights) };
        for (int b = 0; b < o.Blocks; b++)
        {
            layers.Add(o.ResidualInit == ResidualInit.Fixup ? FixupBlock(o) : Block(o));
        }
        layers.Add(new ActivationLayer(o.Activation));
        layers.Add(Output(o, zero: o.ResidualInit == ResidualInit.Fixup, WidthRole.OutputWeights));
        return layers;
    }

    private static Residual Block(ArchitectureOptions o)
    {
        int m = o.BlockLayers;
        var branch = new List<Layer>();
        IInitializer last = o.ResidualInit == ResidualInit.Scaled
            ? ScaleVariance(Kernel(o, WidthRole.HiddenWeights), 1.0 / (2.0 * o.Blocks), nameof(o.ResidualInit))
            : Kernel(o, WidthRole.HiddenWeights);
        if (o.Normalization == Normalization.None)
        {
            branch.Add(new ActivationLayer(o.Activation));
            for (int k = 0; k < m - 1; k++)
            {
                branch.Add(Hidden(o, o.Activation, WidthRole.HiddenWeights));
            }
            branch.Add(new Dense(o.Width, new Linear(), last, Bias(o, WidthRole.HiddenWeights)));
        }
        else
        {
            for (int k = 0; k < m - 1; k++)
            {
                branch.Add(Hidden(o, "linear", WidthRole.HiddenWeights));
                branch.Add(Norm(o, gammaZero: false));
                branch.Add(new ActivationLayer(o.Activation));
            }
            branch.Add(new Dense(o.Width, new Linear(), last, Bias(o, WidthRole.HiddenWeights)));
            branch.Add(Norm(o, gammaZero: o.ResidualInit == ResidualInit.ZeroGamma));
        }
        bool skip = o.ResidualInit is ResidualInit.SkipInit or ResidualInit.ReZero;
        return new Residual(branch, alpha: skip ? 0 : 1, trainableAlpha: skip);
    }

    /// <summary>Fixup's branch (Zhang et al. 2019, §3): φ, then for each of the m Dense layers a scalar bias before it,
    /// its kernel without bias (inner ones scaled by L^(−1/(2m−2)) in standard deviation, the last one zero), a scalar bias
    /// and φ between layers; a scalar multiplier α (trainable, from 1) and a last scalar bias close the branch. The paper's
    /// bias after the multiplier is applied before it here: the same function class, and the same start (both 0).</summary>
    private static Residual FixupBlock(ArchitectureOptions o)
    {
        int m = o.BlockLayers;
        double varianceFactor = Math.Pow(o.Blocks, -1.0 / (m - 1));
        IInitializer inner = ScaleVariance(Kernel(o, WidthRole.HiddenWeights), varianceFactor, nameof(o.ResidualInit));
        var branch = new List<Layer> { new ActivationLayer(o.Activation) };
        for (int k = 0; k < m; k++)
        {
            branch.Add(new ScalarBias());
            bool lastLayer = k == m - 1;
            branch.Add(new Dense(o.Width, new Linear(), lastLayer ? new Constant(0, "zeros") : inner, useBias: false));
            if (!lastLayer)
            {
                branch.Add(new ScalarBias());
                branch.Add(new ActivationLayer(o.Activation));
            }
        }
        branch.Add(new ScalarBias());
        return new Residual(branch, alpha: 1, trainableAlpha: true);
    }

    /// <summary>The same initializer with its variance multiplied by <paramref name="factor"/>: a variance-scaling one gets
    /// scale × factor (so it saves and reloads as variance_scaling with that scale); zeros stay zeros.</summary>
    /// <exception cref="ArgumentException">The initializer is not variance-scaling (orthogonal, random_normal…).</exception>
    internal static IInitializer ScaleVariance(IInitializer initializer, double factor, string option)
    {
        return initializer switch
        {
            VarianceScaling v => new VarianceScaling(v.Scale * factor, v.Mode, v.Distribution),
            Constant { Value: 0 } => initializer,
            _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"this residual init scales the branch's kernel variance by {factor:G4}, which needs a variance-scaling kernel initializer (he_normal, he_uniform, glorot_uniform, glorot_normal, lecun_normal, lecun_uniform, variance_scaling); got '{initializer.Name}'."), option),
        };
    }

    private static Dense Hidden(ArchitectureOptions o, string activation, WidthRole role) =>
        new(o.Width, ActivationRegistry.Resolve(activation), Kernel(o, role), Bias(o, role));

    /// <summary>The output layer; <paramref name="zero"/> (Fixup) or <see cref="ArchitectureOptions.OutputZeroInit"/> start
    /// its kernel at zero, and the latter its bias too (mup's <c>readout_zero_init</c>).</summary>
    private static Dense Output(ArchitectureOptions o, bool zero, WidthRole role)
    {
        var zeros = new Constant(0, "zeros");
        IInitializer kernel = zero || o.OutputZeroInit
            ? zeros
            : ForWidth(o, InitializerRegistry.Resolve(o.OutputInitializer), role, isBias: false, nameof(o.OutputInitializer));
        return new(o.Outputs, ActivationRegistry.Resolve(o.OutputActivation), kernel, o.OutputZeroInit ? zeros : Bias(o, role));
    }

    private static Layer Norm(ArchitectureOptions o, bool gammaZero)
    {
        IInitializer? gamma = gammaZero ? new Constant(0, "zeros") : null;
        return o.Normalization == Normalization.Batch
            ? new BatchNormalization(gammaInitializer: gamma)
            : new LayerNormalization(gammaInitializer: gamma);
    }

    private static IInitializer Kernel(ArchitectureOptions o, WidthRole role) =>
        ForWidth(o, InitializerRegistry.Resolve(o.KernelInitializer), role, isBias: false, nameof(o.KernelInitializer));

    /// <summary>The bias initializer of a Dense whose kernel has <paramref name="kernelRole"/>.</summary>
    private static IInitializer Bias(ArchitectureOptions o, WidthRole kernelRole) =>
        ForWidth(o, InitializerRegistry.Resolve(o.BiasInitializer), kernelRole, isBias: true, nameof(o.BiasInitializer));

    /// <summary>An error whose ParamName is the option (a property of <see cref="ArchitectureOptions"/>), which the CLI maps
    /// to its flag.</summary>
    private static ArgumentException Problem(string option, string message) => new(message, option);

    private static void Positive(int value, string option)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(option, value, string.Create(CultureInfo.InvariantCulture, $"{option} must be >= 1, got {value}."));
        }
    }

    private static void NonNegative(int value, string option)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(option, value, string.Create(CultureInfo.InvariantCulture, $"{option} must be >= 0, got {value}."));
        }
    }
}
