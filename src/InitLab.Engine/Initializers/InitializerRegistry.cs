using InitLab.Common;

namespace InitLab.Initializers;

/// <summary>
/// The one table of initializer names. Lookup, <c>initlab inits</c>, the docs and the tests all enumerate it.
/// Names are case-insensitive; a trailing '_' (PyTorch's in-place spelling) is accepted. A Keras name keeps Keras
/// semantics and a PyTorch name PyTorch semantics: two names whose distributions differ are never aliases
/// (e.g. he_normal is truncated, kaiming_normal is not; uniform is U(±0.05), uniform_ is U(0, 1)).
/// </summary>
public static class InitializerRegistry
{
    private const string Uniform = "uniform";
    private const string Normal = "normal";
    private const string Truncated = "truncated normal (±2σ₀)";

    /// <summary>Every entry, in catalog order.</summary>
    /// <remarks>One row per entry, every field named (the order follows <see cref="InitializerInfo"/>), so a row reads
    /// without counting commas; the catalog snapshot test pins every field and what each factory builds.</remarks>
    public static IReadOnlyList<InitializerInfo> Entries { get; } =
    [
        new(Name: "zeros", Aliases: ["zero", "Zeros", "zeros_"],
            Distribution: "constant", Formula: "w = 0", Parameters: [],
            Keras: "Zeros", PyTorch: "zeros_",
            Suits: "biases (Keras default); never hidden weights: zero activations/gradients with ReLU/tanh, symmetry with sigmoid",
            Tutorial: null,
            Create: p => new Constant(0, "zeros")),
        new(Name: "ones", Aliases: ["one", "Ones", "ones_"],
            Distribution: "constant", Formula: "w = 1", Parameters: [],
            Keras: "Ones", PyTorch: "ones_",
            Suits: "normalisation gains; never hidden weights (symmetric)",
            Tutorial: null,
            Create: p => new Constant(1, "ones")),
        new(Name: "constant", Aliases: ["Constant", "constant_"],
            Distribution: "constant", Formula: "w = value", Parameters: ["value=0"],
            Keras: "Constant(value)", PyTorch: "constant_(val)",
            Suits: "biases; never hidden weights (every unit identical)",
            Tutorial: null,
            Create: p => new Constant(p.Number("value", 0, "val"))),
        new(Name: "random_uniform", Aliases: ["uniform", "RandomUniform"],
            Distribution: Uniform, Formula: "w ~ U[min, max), σ² = (max−min)²/12", Parameters: ["min=-0.05", "max=0.05"],
            Keras: "RandomUniform(-0.05, 0.05)", PyTorch: "uniform_ (other defaults: torch_uniform)",
            Suits: "small nets only; the scale ignores the fans",
            Tutorial: null,
            Create: p => new RandomUniform(p.Number("min", -0.05, "minval"), p.Number("max", 0.05, "maxval"))),
        new(Name: "torch_uniform", Aliases: ["uniform_"],
            Distribution: Uniform, Formula: "w ~ U[a, b)", Parameters: ["a=0", "b=1"],
            Keras: "—", PyTorch: "uniform_(a=0, b=1)",
            Suits: "as PyTorch's uniform_; U(0, 1) is the tutorial's 'large random'",
            Tutorial: null,
            Create: p => new RandomUniform(p.Number("min", 0, "a"), p.Number("max", 1, "b"), "torch_uniform")),
        new(Name: "random_normal", Aliases: ["normal", "RandomNormal"],
            Distribution: Normal, Formula: "w ~ N(mean, std²)", Parameters: ["mean=0", "std=0.05"],
            Keras: "RandomNormal(0, 0.05)", PyTorch: "normal_ (other defaults: torch_normal)",
            Suits: "small nets only; the scale ignores the fans",
            Tutorial: null,
            Create: p => new RandomNormal(p.Number("mean", 0), p.Number("std", 0.05, "stddev"))),
        new(Name: "torch_normal", Aliases: ["normal_"],
            Distribution: Normal, Formula: "w ~ N(mean, std²)", Parameters: ["mean=0", "std=1"],
            Keras: "—", PyTorch: "normal_(mean=0, std=1)",
            Suits: "as PyTorch's normal_ (std 1 explodes any deep net)",
            Tutorial: null,
            Create: p => new RandomNormal(p.Number("mean", 0), p.Number("std", 1, "stddev"), "torch_normal")),
        new(Name: "truncated_normal", Aliases: ["TruncatedNormal"],
            Distribution: Truncated, Formula: "N(mean, std²) cut at mean ± 2·std, uncorrected: σ² = 0.77374·std²", Parameters: ["mean=0", "std=0.05"],
            Keras: "TruncatedNormal(0, 0.05)", PyTorch: "— (trunc_normal_ uses absolute bounds)",
            Suits: "as Keras's TruncatedNormal",
            Tutorial: null,
            Create: p => new TruncatedNormal(p.Number("mean", 0), p.Number("std", 0.05, "stddev"))),
        new(Name: "trunc_normal", Aliases: ["trunc_normal_"],
            Distribution: "truncated normal (absolute [a, b])", Formula: "N(mean, std²) restricted to [a, b] (absolute bounds)",
            Parameters: ["mean=0", "std=1", "a=-2", "b=2"],
            Keras: "—", PyTorch: "trunc_normal_(mean=0, std=1, a=-2, b=2)",
            Suits: "transformer-style std=0.02 (then truncation at ±2 does nothing; pass a=-2·std, b=2·std for Keras-style)",
            Tutorial: null,
            Create: p => new TorchTruncNormal(p.Number("mean", 0), p.Number("std", 1, "stddev"), p.Number("a", -2), p.Number("b", 2))),
        new(Name: "variance_scaling", Aliases: ["VarianceScaling"],
            Distribution: "per distribution", Formula: "σ² = scale/n, n by mode; uniform L = √(3·scale/n); truncated σ₀ = √(scale/n)/0.8796",
            Parameters: ["scale=1", "mode=fan_in", "distribution=truncated_normal"],
            Keras: "VarianceScaling(1.0, 'fan_in', 'truncated_normal')", PyTorch: "kaiming_*/xavier_* with scale = gain²",
            Suits: "the general form of all below",
            Tutorial: null,
            Create: p => new VarianceScaling(p.Number("scale", 1), p.Mode(FanMode.FanIn), p.Distribution(Distribution.TruncatedNormal))),
        new(Name: "glorot_uniform", Aliases: ["GlorotUniform", "xavier_uniform", "xavier_uniform_", "glorot_uniform_"],
            Distribution: Uniform, Formula: "L = gain·√(6/(fan_in + fan_out)), σ² = gain²·2/(fan_in + fan_out)", Parameters: ["gain=1"],
            Keras: "GlorotUniform (default kernel)", PyTorch: "xavier_uniform_(gain=1)",
            Suits: "tanh, sigmoid, linear (Glorot & Bengio 2010)",
            Tutorial: "Xavier uniform: U[−x, x], x = √(6/(fan_in+fan_out)) (correct)",
            Create: p => VarianceScaling.GlorotUniform(p.Number("gain", 1))),
        new(Name: "glorot_normal", Aliases: ["GlorotNormal"],
            Distribution: Truncated, Formula: "σ² = 2/(fan_in + fan_out), truncated at ±2σ₀ with σ₀ = σ/0.8796", Parameters: [],
            Keras: "GlorotNormal", PyTorch: "— (xavier_normal_ is untruncated)",
            Suits: "tanh, sigmoid (Keras/JAX)",
            Tutorial: null,
            Create: p => VarianceScaling.GlorotNormal())
        {
            SameVarianceDifferentDistribution = "xavier_normal: untruncated normal (PyTorch); this one is truncated at ±2σ₀ (Keras)",
        },
        new(Name: "xavier_normal", Aliases: ["xavier_normal_", "glorot_normal_"],
            Distribution: Normal, Formula: "σ = gain·√(2/(fan_in + fan_out)), untruncated", Parameters: ["gain=1"],
            Keras: "VarianceScaling(gain², 'fan_avg', 'untruncated_normal')", PyTorch: "xavier_normal_(gain=1)",
            Suits: "tanh, sigmoid (PyTorch)",
            Tutorial: null,
            Create: p => VarianceScaling.XavierNormal(p.Number("gain", 1)))
        {
            SameVarianceDifferentDistribution = "glorot_normal: truncated at ±2σ₀ (Keras); this one is an untruncated normal (PyTorch)",
        },
        new(Name: "he_uniform", Aliases: ["HeUniform"],
            Distribution: Uniform, Formula: "L = √(6/fan_in), σ² = 2/fan_in", Parameters: [],
            Keras: "HeUniform", PyTorch: "kaiming_uniform_() (defaults)",
            Suits: "ReLU and its variants (He et al. 2015)",
            Tutorial: "He uniform: U[−x, x], x = √(6/fan_in) (correct)",
            Create: p => VarianceScaling.HeUniform()),
        new(Name: "he_normal", Aliases: ["HeNormal"],
            Distribution: Truncated, Formula: "σ² = 2/fan_in, truncated at ±2σ₀ = ±2.2737σ", Parameters: [],
            Keras: "HeNormal", PyTorch: "— (kaiming_normal_ is untruncated)",
            Suits: "ReLU (Keras/JAX)",
            Tutorial: "He normal: randn·√(2/fan_in) (right variance; Keras truncates, that formula does not)",
            Create: p => VarianceScaling.HeNormal())
        {
            SameVarianceDifferentDistribution = "kaiming_normal: untruncated normal (PyTorch); this one is truncated at ±2σ₀ (Keras)",
        },
        new(Name: "kaiming_uniform", Aliases: ["kaiming_uniform_"],
            Distribution: Uniform, Formula: "L = gain·√(3/n_mode), gain = calculate_gain(nonlinearity, a)",
            Parameters: ["a=0", "mode=fan_in", "nonlinearity=leaky_relu"],
            Keras: "VarianceScaling(gain², mode, 'uniform')", PyTorch: "kaiming_uniform_(a=0, mode='fan_in', nonlinearity='leaky_relu')",
            Suits: "ReLU/leaky ReLU (PyTorch)",
            Tutorial: null,
            Create: p => new Kaiming(uniform: true, p.Number("a", 0), p.Mode(FanMode.FanIn), p.Text("nonlinearity", "leaky_relu"))),
        new(Name: "kaiming_normal", Aliases: ["kaiming_normal_"],
            Distribution: Normal, Formula: "σ = gain/√n_mode, untruncated",
            Parameters: ["a=0", "mode=fan_in", "nonlinearity=leaky_relu"],
            Keras: "VarianceScaling(gain², mode, 'untruncated_normal')", PyTorch: "kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu')",
            Suits: "ReLU/leaky ReLU (PyTorch)",
            Tutorial: null,
            Create: p => new Kaiming(uniform: false, p.Number("a", 0), p.Mode(FanMode.FanIn), p.Text("nonlinearity", "leaky_relu")))
        {
            SameVarianceDifferentDistribution = "he_normal: truncated at ±2σ₀ (Keras); this one (defaults) is an untruncated normal (PyTorch)",
        },
        new(Name: "lecun_uniform", Aliases: ["LecunUniform"],
            Distribution: Uniform, Formula: "L = √(3/fan_in), σ² = 1/fan_in", Parameters: [],
            Keras: "LecunUniform", PyTorch: "kaiming_uniform_(nonlinearity='linear')",
            Suits: "linear, SELU; tanh in the linear regime",
            Tutorial: null,
            Create: p => VarianceScaling.LecunUniform()),
        new(Name: "lecun_normal", Aliases: ["LecunNormal"],
            Distribution: Truncated, Formula: "σ² = 1/fan_in, truncated at ±2σ₀", Parameters: [],
            Keras: "LecunNormal", PyTorch: "— (kaiming_normal_(nonlinearity='linear') is untruncated)",
            Suits: "SELU (self-normalising nets)",
            Tutorial: "Xavier normal: randn·√(1/fan_in) (mislabelled: that is LeCun normal, untruncated = kaiming_normal(nonlinearity=linear))",
            Create: p => VarianceScaling.LecunNormal())
        {
            SameVarianceDifferentDistribution = "kaiming_normal(nonlinearity=linear): untruncated normal (PyTorch); this one is truncated at ±2σ₀ (Keras)",
        },
        new(Name: "torch_linear_default",
            Aliases: ["torch_linear", "pytorch_default", "torch_default", "pytorch_linear_default", "nn.linear", "kaiming_uniform(a=sqrt(5))",
                "kaiming_uniform_a=sqrt(5)", "kaiming_uniform_a_sqrt5", "glorot_bengio_standard", "xavier_standard"],
            Distribution: Uniform,
            Formula: "w, b ~ U(±1/√fan_in) (weight's fan_in), σ² = 1/(3·fan_in); Glorot & Bengio's 'standard' U[−1/√n, 1/√n] (eq. 1; they kept b = 0)",
            Parameters: [],
            Keras: "—", PyTorch: "nn.Linear default: kaiming_uniform_(a=√5)",
            Suits: "backward compatibility only: 1/3 of LeCun's variance, 1/6 of He's",
            Tutorial: "Xavier: U[−1/√n, 1/√n] (mislabelled: Glorot & Bengio's eq. 1 heuristic, PyTorch's Linear default)",
            Create: p => new TorchLinearDefault()),
        new(Name: "sklearn_mlp", Aliases: [],
            Distribution: Uniform, Formula: "w, b ~ U(±√(f/(fan_in + fan_out))), f = 2 for logistic, else 6", Parameters: ["activation=relu"],
            Keras: "—", PyTorch: "—",
            Suits: "what scikit-learn's MLPClassifier/Regressor do",
            Tutorial: null,
            Create: p => new SklearnMlp(p.Text("activation", "relu"))),
        new(Name: "orthogonal", Aliases: ["Orthogonal", "OrthogonalInitializer", "orthogonal_"],
            Distribution: "orthogonal", Formula: "Haar (semi-)orthogonal × gain: WᵀW = gain²·I (r ≥ c)", Parameters: ["gain=1"],
            Keras: "Orthogonal(gain=1.0)", PyTorch: "orthogonal_(gain=1)",
            Suits: "deep linear/tanh nets, RNN recurrent kernels (Saxe et al. 2014)",
            Tutorial: null,
            Create: p => new Orthogonal(p.Number("gain", 1))),
        new(Name: "identity", Aliases: ["Identity", "IdentityInitializer", "eye", "eye_"],
            Distribution: "deterministic", Formula: "w_ij = gain·[i = j] (2-D)", Parameters: ["gain=1"],
            Keras: "Identity(gain=1.0)", PyTorch: "eye_()",
            Suits: "residual/recurrent identity starts (IRNN)",
            Tutorial: null,
            Create: p => new Identity(p.Number("gain", 1))),
        new(Name: "dirac", Aliases: ["dirac_"],
            Distribution: "deterministic", Formula: "w[g·out/groups + d, d, centre…] = 1", Parameters: ["groups=1"],
            Keras: "—", PyTorch: "dirac_(groups=1)",
            Suits: "convolutions that start as identity maps",
            Tutorial: null,
            Create: p => new Dirac(p.WholeNumber("groups", 1))),
        new(Name: "delta_orthogonal", Aliases: [],
            Distribution: "structured", Formula: "orthogonal in×out matrix × scale at the centre tap (k−1)//2", Parameters: ["scale=1"],
            Keras: "—", PyTorch: "—",
            Suits: "very deep CNNs (Xiao et al. 2018); JAX delta_orthogonal",
            Tutorial: null,
            Create: p => new DeltaOrthogonal(p.Number("scale", 1))),
        new(Name: "sparse", Aliases: ["sparse_"],
            Distribution: "sparse normal", Formula: "N(0, std²), ⌈sparsity·rows⌉ zeros per column (2-D)", Parameters: ["sparsity", "std=0.01"],
            Keras: "—", PyTorch: "sparse_(sparsity, std=0.01)",
            Suits: "Martens 2010 (Hessian-free deep nets)",
            Tutorial: null,
            Create: p => new Sparse(p.RequiredNumber("sparsity", "sparse"), p.Number("std", 0.01, "stddev"))),
        new(Name: "lsuv", Aliases: ["LSUV"],
            Distribution: "data-dependent", Formula: "orthonormal, then W ← W/√Var(output) per layer until |Var − 1| < tol",
            Parameters: ["tol=0.1", "max_iter=10"],
            Keras: "—", PyTorch: "—",
            Suits: "any activation; needs a data batch (Mishkin & Matas 2016)",
            Tutorial: null,
            Create: p => new Lsuv(p.Number("tol", 0.1), p.WholeNumber("max_iter", 10))),
        new(Name: "tutorial_zero", Aliases: [],
            Distribution: "constant", Formula: "w = 0 (the tutorial's 'zero initialization')", Parameters: [],
            Keras: "Zeros", PyTorch: "zeros_",
            Suits: "what not to do: ReLU/tanh → no training; sigmoid → symmetric units",
            Tutorial: "Zero initialization",
            Create: p => new Constant(0, "tutorial_zero")),
        new(Name: "tutorial_constant", Aliases: [],
            Distribution: "constant", Formula: "w = 0.5", Parameters: [],
            Keras: "Constant(0.5)", PyTorch: "constant_(0.5)",
            Suits: "what not to do: every hidden unit identical, the net stays linear",
            Tutorial: "Constant initialization",
            Create: p => new Constant(0.5, "tutorial_constant")),
        new(Name: "tutorial_small_random", Aliases: [],
            Distribution: Normal, Formula: "w ~ N(0, 0.0007²)", Parameters: [],
            Keras: "RandomNormal(stddev=0.0007)", PyTorch: "normal_(std=0.0007)",
            Suits: "what not to do in deep nets: vanishing signals and gradients",
            Tutorial: "Too-small random initialization",
            Create: p => new RandomNormal(0, 0.0007, "tutorial_small_random")),
        new(Name: "tutorial_large_random", Aliases: [],
            Distribution: Uniform, Formula: "w ~ U[0, 1)", Parameters: [],
            Keras: "RandomUniform(0, 1)", PyTorch: "uniform_()",
            Suits: "what not to do: tanh/sigmoid saturate, ReLU explodes",
            Tutorial: "Too-large random initialization",
            Create: p => new RandomUniform(0, 1, "tutorial_large_random")),
    ];

    private static readonly Dictionary<string, InitializerInfo> s_byKey = BuildIndex();

    /// <summary>Canonical names, in catalog order.</summary>
    public static IReadOnlyList<string> Names => [.. Entries.Select(e => e.Name)];

    /// <summary>The entry for a name or alias.</summary>
    /// <param name="name">Any accepted spelling.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="UnknownNameException">Not a known name; the message suggests the nearest and lists all.</exception>
    public static InitializerInfo Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string exact = name.Trim().ToLowerInvariant();
        if (s_byKey.TryGetValue(exact, out var info) || s_byKey.TryGetValue(NameLookup.Normalize(name), out info))
        {
            return info;
        }
        throw new UnknownNameException("initializer", name, Names, nameof(name));
    }

    /// <summary>Builds an initializer by name with optional parameters.</summary>
    /// <param name="name">Any accepted spelling.</param>
    /// <param name="parameters">Parameters (null for defaults).</param>
    /// <returns>The initializer.</returns>
    public static IInitializer Resolve(string name, InitializerParameters? parameters = null)
    {
        InitializerInfo info = Find(name);
        parameters ??= InitializerParameters.None;
        IInitializer initializer = info.Create(parameters);
        parameters.RejectUnused(info.Name, info.ParameterNames);
        return initializer;
    }

    /// <summary>Rebuilds an initializer from its name and <see cref="IInitializer.GetConfig"/>.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <param name="config">Its config.</param>
    /// <returns>An equal initializer.</returns>
    public static IInitializer FromConfig(string name, IReadOnlyDictionary<string, object> config) =>
        Resolve(name, new InitializerParameters(config));

    private static Dictionary<string, InitializerInfo> BuildIndex()
    {
        var index = new Dictionary<string, InitializerInfo>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            foreach (string key in entry.Aliases.Prepend(entry.Name))
            {
                string lower = key.ToLowerInvariant();
                if (!index.TryAdd(lower, entry) && !ReferenceEquals(index[lower], entry))
                {
                    throw new InvalidOperationException($"Initializer registry: '{key}' names two different entries.");
                }
            }
        }
        return index;
    }
}
