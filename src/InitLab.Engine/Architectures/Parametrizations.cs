using System.Globalization;
using InitLab.Common;
using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Training;

namespace InitLab.Architectures;

/// <summary>
/// The <see cref="Parametrization"/> table: how each kind of parameter (<see cref="WidthRole"/>) has its init variance and
/// its learning rate scaled with the width multiplier m = Width / BaseWidth, so that every parametrization is the standard
/// one at the base width (m = 1). μP is Tensor Programs V's Table 3 (Yang et al. 2021) written relative to the base width,
/// as microsoft/mup applies it; NTK is its SP-equivalent form. docs/residual.md has the table beside mup's
/// <c>MuReadout</c>/<c>MuAdam</c>/<c>MuSGD</c>.
/// </summary>
/// <remarks>
/// Init: the layer's variance is its initializer's variance <i>at the base width</i> times m^(−k), k = <see cref="InitVarianceExponent"/>
/// (<see cref="ArchitectureBuilder"/> applies it). With fan_in initializers (he_*, lecun_*) that changes only μP's output
/// layer (k = 2: variance ∝ 1/fan_in²), exactly what mup's <c>MuReadout</c> (output multiplier 1/m, weights × √m)
/// amounts to. Learning rates: <see cref="LearningRateScale"/>, applied to a built model by <see cref="ApplyLearningRates(Sequential, ArchitectureOptions, OptimizerFamily)"/>.
/// </remarks>
public static class Parametrizations
{
    /// <summary>A parametrization's description, for <c>initlab inits</c> and the docs.</summary>
    /// <param name="Parametrization">The parametrization.</param>
    /// <param name="Name">Its name on the command line (<c>--parametrization</c>).</param>
    /// <param name="Init">Init variance per role, relative to the variance at the base width (m = width / base width).</param>
    /// <param name="Sgd">Learning-rate multiplier per role for SGD-like optimizers.</param>
    /// <param name="Adaptive">Learning-rate multiplier per role for Adam-like optimizers.</param>
    /// <param name="Source">The paper.</param>
    /// <param name="Elsewhere">The same thing in other libraries.</param>
    public sealed record Info(Parametrization Parametrization, string Name, string Init, string Sgd, string Adaptive, string Source, string Elsewhere);

    /// <summary>Every parametrization, in the order of <see cref="Parametrization"/>.</summary>
    public static IReadOnlyList<Info> All { get; } =
    [
        new(Parametrization.Standard, "sp", "every layer as its initializer draws it at the actual width", "lr for every parameter", "lr for every parameter",
            "the usual practice (Keras, PyTorch defaults)", "Keras, PyTorch: what every layer does by default"),
        new(Parametrization.Ntk, "ntk", "input ×1, hidden ×1/m, output ×1/m, biases/γ/β ×1 (SP-equivalent form of W = ω/√fan_in)",
            "input 1, hidden 1/m, output 1/m, biases/γ/β 1, scalars 1", "input 1, hidden 1/√m, output 1/√m, biases/γ/β 1, scalars 1",
            "Jacot, Gabriel & Hongler 2018, Neural Tangent Kernel; SP-equivalent form: Yang & Hu 2021, Tensor Programs IV, §3 (abc-parametrizations)",
            "neural-tangents (JAX) parameterization='ntk'; no Keras/PyTorch equivalent"),
        new(Parametrization.MuP, "mup", "input ×1, hidden ×1/m, output ×1/m² (or zero), biases/γ/β ×1",
            "input m, hidden 1, output 1/m, biases/γ/β m, scalars 1", "input 1, hidden 1/m, output 1/m, biases/γ/β 1, scalars 1",
            "Yang et al. 2021, Tensor Programs V (μTransfer), Table 3 (Table 8 is mup's equivalent form)",
            "microsoft/mup: MuReadout (output ÷ m, readout_zero_init) + MuSGD / MuAdam after set_base_shapes; no Keras/PyTorch equivalent"),
    ];

    /// <summary>The parametrization's name.</summary>
    /// <param name="parametrization">The parametrization.</param>
    /// <returns>"sp", "ntk" or "mup".</returns>
    public static string Name(Parametrization parametrization) => All[(int)parametrization].Name;

    /// <summary>The parametrization called <paramref name="name"/> (case, dashes and underscores ignored; "standard" and
    /// "μp" accepted).</summary>
    /// <param name="name">e.g. "mup".</param>
    /// <returns>The parametrization.</returns>
    /// <exception cref="UnknownNameException">No parametrization has that name; the message lists the valid ones and the nearest.</exception>
    public static Parametrization Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string wanted = NameLookup.Normalize(name);
        foreach (Info info in All)
        {
            if (NameLookup.Normalize(info.Name) == wanted)
            {
                return info.Parametrization;
            }
        }
        return wanted switch
        {
            "standard" => Parametrization.Standard,
            "μp" or "mu_p" or "mup" => Parametrization.MuP,
            _ => throw new UnknownNameException("parametrization", name, All.Select(i => i.Name), nameof(name)),
        };
    }

    /// <summary>The optimizer family of a registered optimizer name (<see cref="OptimizerRegistry"/>).</summary>
    /// <param name="optimizerName">sgd, momentum, nesterov (SGD-like); adam, rmsprop, adagrad (Adam-like).</param>
    /// <returns>The family.</returns>
    /// <exception cref="UnknownNameException">The name is not a registered optimizer.</exception>
    public static OptimizerFamily Family(string optimizerName)
    {
        ArgumentNullException.ThrowIfNull(optimizerName);
        return NameLookup.Normalize(optimizerName) switch
        {
            "sgd" or "momentum" or "nesterov" => OptimizerFamily.Sgd,
            "adam" or "rmsprop" or "adagrad" => OptimizerFamily.Adaptive,
            _ => throw new UnknownNameException("optimizer", optimizerName, OptimizerRegistry.Names, nameof(optimizerName)),
        };
    }

    /// <summary>The optimizer family of a built-in optimizer.</summary>
    /// <param name="optimizer">An <see cref="Sgd"/>, <see cref="Adam"/>, <see cref="RmsProp"/> or <see cref="Adagrad"/>.</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentException">Another optimizer: say its family with the <see cref="OptimizerFamily"/> overload.</exception>
    public static OptimizerFamily Family(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer switch
        {
            Sgd => OptimizerFamily.Sgd,
            Adam or RmsProp or Adagrad => OptimizerFamily.Adaptive,
            _ => throw new ArgumentException($"Parametrizations: optimizer '{optimizer.Name}' ({optimizer.GetType().Name}) is neither SGD-like nor one of the Adam-like built-ins; pass its OptimizerFamily explicitly.", nameof(optimizer)),
        };
    }

    /// <summary>The width multiplier m = Width / BaseWidth (1 when BaseWidth is 0).</summary>
    /// <param name="options">The architecture.</param>
    /// <returns>m.</returns>
    public static double WidthMultiplier(ArchitectureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.BaseWidth == 0 ? 1.0 : options.Width / (double)options.BaseWidth;
    }

    /// <summary>k in "init variance = the initializer's variance at the base width × m^(−k)": SP none (null: the initializer
    /// at the actual width, untouched); μP input 0, hidden 1, output 2; NTK input 0, hidden 1, output 1; width vectors and
    /// fixed parameters 0 (their variance does not change with the width).</summary>
    /// <param name="parametrization">The parametrization.</param>
    /// <param name="role">The parameter's role.</param>
    /// <returns>k, or null for SP.</returns>
    public static int? InitVarianceExponent(Parametrization parametrization, WidthRole role) => parametrization switch
    {
        Parametrization.Standard => null,
        _ => role switch
        {
            WidthRole.HiddenWeights => 1,
            WidthRole.OutputWeights => parametrization == Parametrization.MuP ? 2 : 1,
            _ => 0,
        },
    };

    /// <summary>
    /// The learning-rate multiplier of a parameter (what <see cref="Parameter.LearningRateScale"/> is set to):
    /// <list type="bullet">
    /// <item>SP: 1 for every parameter.</item>
    /// <item>μP, SGD-like: input weights m, hidden 1, output 1/m, width vectors m, fixed 1 (Table 3: η·fan_out, η, η/fan_in).</item>
    /// <item>μP, Adam-like: input 1, hidden 1/m, output 1/m, width vectors 1, fixed 1 (Table 3: η, η/fan_in, η/fan_in).</item>
    /// <item>NTK, SGD-like: input 1, hidden 1/m, output 1/m, width vectors 1, fixed 1 (W = n^(−1/2)·ω trained at lr η moves W at η/n).</item>
    /// <item>NTK, Adam-like: input 1, hidden 1/√m, output 1/√m, others 1 (Adam moves ω by about η, so W by η/√n).</item>
    /// </list>
    /// </summary>
    /// <param name="parametrization">The parametrization.</param>
    /// <param name="role">The parameter's role.</param>
    /// <param name="family">The optimizer family.</param>
    /// <param name="widthMultiplier">m = width / base width, finite and &gt; 0.</param>
    /// <returns>The multiplier (exactly 1 when m = 1).</returns>
    public static double LearningRateScale(Parametrization parametrization, WidthRole role, OptimizerFamily family, double widthMultiplier)
    {
        if (!(widthMultiplier > 0) || !double.IsFinite(widthMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, string.Create(CultureInfo.InvariantCulture,
                $"Parametrizations: the width multiplier (width / base width) must be finite and > 0, got {widthMultiplier}."));
        }
        double m = widthMultiplier;
        bool sgd = family == OptimizerFamily.Sgd;
        return (parametrization, role) switch
        {
            (Parametrization.MuP, WidthRole.InputWeights or WidthRole.WidthVector) => sgd ? m : 1,
            (Parametrization.MuP, WidthRole.HiddenWeights) => sgd ? 1 : 1 / m,
            (Parametrization.MuP, WidthRole.OutputWeights) => 1 / m,
            (Parametrization.Ntk, WidthRole.HiddenWeights or WidthRole.OutputWeights) => sgd ? 1 / m : 1 / Math.Sqrt(m),
            _ => 1,
        };
    }

    /// <summary>
    /// Each parameter of <paramref name="model"/> with its <see cref="WidthRole"/>, for a model whose first Dense reads the
    /// features, whose last Dense writes the outputs, and whose every other dimension is the width — every model
    /// <see cref="ArchitectureBuilder"/> builds. Dense kernels by position (first: input, last: output, else hidden; the only
    /// one: fixed), Dense biases and normalization γ/β width vectors (the last Dense's bias fixed), everything else (residual
    /// α, scalar biases) fixed.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>(parameter, role) in the order of <see cref="Sequential.AllLayers"/>.</returns>
    public static IReadOnlyList<(Parameter Parameter, WidthRole Role)> Roles(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        IReadOnlyList<Dense> dense = model.DenseLayers;
        Dense? first = dense.Count > 0 ? dense[0] : null;
        Dense? last = dense.Count > 0 ? dense[^1] : null;
        var roles = new List<(Parameter, WidthRole)>();
        foreach (Layer layer in model.AllLayers)
        {
            foreach (Parameter p in layer.OwnParameters)
            {
                WidthRole role = layer switch
                {
                    Dense d when p.IsBias => d == last ? WidthRole.Fixed : WidthRole.WidthVector,
                    Dense d when d == first && d == last => WidthRole.Fixed,
                    Dense d when d == first => WidthRole.InputWeights,
                    Dense d when d == last => WidthRole.OutputWeights,
                    Dense => WidthRole.HiddenWeights,
                    BatchNormalization or LayerNormalization => WidthRole.WidthVector,
                    _ => WidthRole.Fixed,
                };
                roles.Add((p, role));
            }
        }
        return roles;
    }

    /// <summary>
    /// Sets every parameter's <see cref="Parameter.LearningRateScale"/> to the parametrization's multiplier for its role
    /// (<see cref="LearningRateScale"/>; all 1 under SP or at the base width). Call it on the model as it will be trained,
    /// after <see cref="ArchitectureBuilder.Build"/> — a later <see cref="Sequential.Initialize"/> or a load makes new
    /// parameters, which start at 1 again.
    /// </summary>
    /// <param name="model">A model <see cref="ArchitectureBuilder"/> built from <paramref name="options"/>.</param>
    /// <param name="options">Its options (Parametrization, Width, BaseWidth).</param>
    /// <param name="family">How the optimizer scales with the gradient.</param>
    /// <exception cref="ArgumentException">The model's input or output width is not the options'.</exception>
    public static void ApplyLearningRates(Sequential model, ArchitectureOptions options, OptimizerFamily family)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (model.InputDim != options.InputDim || model.OutputDim != options.Outputs)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Parametrizations: the model maps {model.InputDim} → {model.OutputDim} but the options describe {options.InputDim} → {options.Outputs}; pass the options the model was built from."), nameof(model));
        }
        double m = WidthMultiplier(options);
        foreach ((Parameter p, WidthRole role) in Roles(model))
        {
            p.LearningRateScale = LearningRateScale(options.Parametrization, role, family, m);
        }
    }

    /// <summary><see cref="ApplyLearningRates(Sequential, ArchitectureOptions, OptimizerFamily)"/> for a registered
    /// optimizer name (what <c>--optimizer</c> takes).</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Its options.</param>
    /// <param name="optimizerName">sgd, momentum, nesterov, adam, rmsprop or adagrad.</param>
    public static void ApplyLearningRates(Sequential model, ArchitectureOptions options, string optimizerName) =>
        ApplyLearningRates(model, options, Family(optimizerName));

    /// <summary><see cref="ApplyLearningRates(Sequential, ArchitectureOptions, OptimizerFamily)"/> for a built-in optimizer
    /// (e.g. <c>model.Optimizer</c> after <c>Compile</c>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Its options.</param>
    /// <param name="optimizer">The optimizer that will train it.</param>
    public static void ApplyLearningRates(Sequential model, ArchitectureOptions options, Optimizer optimizer) =>
        ApplyLearningRates(model, options, Family(optimizer));
}
