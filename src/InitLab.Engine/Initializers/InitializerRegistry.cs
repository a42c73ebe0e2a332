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
    public static IReadOnlyList<InitializerInfo> Entries { get; } =
    [
        new("zeros", ["zero", "Zeros", "zeros_"], "constant", "w = 0", [], "Zeros", "zeros_",
            "biases (Keras default); never hidden weights: zero activations/gradients with ReLU/tanh, symmetry with sigmoid",
            null, p => new Constant(0, "zeros")),
        new("ones", ["one", "Ones", "ones_"], "constant", "w = 1", [], "Ones", "ones_",
            "normalisation gains; never hidden weights (symmetric)", null, p => new Constant(1, "ones")),
        new("constant", ["Constant", "constant_"], "constant", "w = value", ["value=0"], "Constant(value)", "constant_(val)",
            "biases; never hidden weights (every unit identical)", null, p => new Constant(p.Number("value", 0, "val"))),
        new("random_uniform", ["uniform", "RandomUniform"], Uniform, "w ~ U[min, max), σ² = (max−min)²/12", ["min=-0.05", "max=0.05"],
            "RandomUniform(-0.05, 0.05)", "uniform_ (other defaults: torch_uniform)", "small nets only; the scale ignores the fans", null,
            p => new RandomUniform(p.Number("min", -0.05, "minval"), p.Number("max", 0.05, "maxval"))),
        new("torch_uniform", ["uniform_"], Uniform, "w ~ U[a, b)", ["a=0", "b=1"], "—", "uniform_(a=0, b=1)",
            "as PyTorch's uniform_; U(0, 1) is the tutorial's 'large random'", null,
            p => new RandomUniform(p.Number("min", 0, "a"), p.Number("max", 1, "b"), "torch_uniform")),
        new("random_normal", ["normal", "RandomNormal"], Normal, "w ~ N(mean, std²)", ["mean=0", "std=0.05"],
            "RandomNormal(0, 0.05)", "normal_ (other defaults: torch_normal)", "small nets only; the scale ignores the fans", null,
            p => new RandomNormal(p.Number("mean", 0), p.Number("std", 0.05, "stddev"))),
        new("torch_normal", ["normal_"], Normal, "w ~ N(mean, std²)", ["mean=0", "std=1"], "—", "normal_(mean=0, std=1)",
            "as PyTorch's normal_ (std 1 explodes any deep net)", null,
            p => new RandomNormal(p.Number("mean", 0), p.Number("std", 1, "stddev"), "torch_normal")),
        new("truncated_normal", ["TruncatedNormal"], Truncated, "N(mean, std²) cut at mean ± 2·std, uncorrected: σ² = 0.77374·std²",
            ["mean=0", "std=0.05"], "TruncatedNormal(0, 0.05)", "— (trunc_normal_ uses absolute bounds)", "as Keras's TruncatedNormal",
            null, p => new TruncatedNormal(p.Number("mean", 0), p.Number("std", 0.05, "stddev"))),
        new("trunc_normal", ["trunc_normal_"], "truncated normal (absolute [a, b])", "N(mean, std²) restricted to [a, b] (absolute bounds)",
            ["mean=0", "std=1", "a=-2", "b=2"], "—", "trunc_normal_(mean=0, std=1, a=-2, b=2)",
            "transformer-style std=0.02 (then truncation at ±2 does nothing; pass a=-2·std, b=2·std for Keras-style)", null,
            p => new TorchTruncNormal(p.Number("mean", 0), p.Number("std", 1, "stddev"), p.Number("a", -2), p.Number("b", 2))),
        new("variance_scaling", ["VarianceScaling"], "per distribution", "σ² = scale/n, n by mode; uniform L = √(3·scale/n); truncated σ₀ = √(scale/n)/0.8796",
            ["scale=1", "mode=fan_in", "distribution=truncated_normal"], "VarianceScaling(1.0, 'fan_in', 'truncated_normal')",
            "kaiming_*/xavier_* with scale = gain²", "the general form of all below", null,
            p => new VarianceScaling(p.Number("scale", 1), p.Mode(FanMode.FanIn), p.Distribution(Distribution.TruncatedNormal))),
        new("glorot_uniform", ["GlorotUniform", "xavier_uniform", "xavier_uniform_", "glorot_uniform_"], Uniform,
            "L = gain·√(6/(fan_in + fan_out)), σ² = gain²·2/(fan_in + fan_out)", ["gain=1"], "GlorotUniform (default kernel)",
            "xavier_uniform_(gain=1)", "tanh, sigmoid, linear (Glorot & Bengio 2010)",
            "Xavier uniform: U[−x, x], x = √(6/(fan_in+fan_out)) (correct)",
            p => VarianceScaling.GlorotUniform(p.Number("gain", 1))),
        new("glorot_normal", ["GlorotNormal"], Truncated, "σ² = 2/(fan_in + fan_out), truncated at ±2σ₀ with σ₀ = σ/0.8796",
            [], "GlorotNormal", "— (xavier_normal_ is untruncated)", "tanh, sigmoid (Keras/JAX)", null,
            p => VarianceScaling.GlorotNormal())
        {
            SameVarianceDifferentDistribution = "xavier_normal: untruncated normal (PyTorch); this one is truncated at ±2σ₀ (Keras)",
        },
        new("xavier_normal", ["xavier_normal_", "glorot_normal_"], Normal, "σ = gain·√(2/(fan_in + fan_out)), untruncated", ["gain=1"],
            "VarianceScaling(gain², 'fan_avg', 'untruncated_normal')", "xavier_normal_(gain=1)", "tanh, sigmoid (PyTorch)", null,
            p => VarianceScaling.XavierNormal(p.Number("gain", 1)))
        {
            SameVarianceDifferentDistribution = "glorot_normal: truncated at ±2σ₀ (Keras); this one is an untruncated normal (PyTorch)",
        },
        new("he_uniform", ["HeUniform"], Uniform, "L = √(6/fan_in), σ² = 2/fan_in", [], "HeUniform", "kaiming_uniform_() (defaults)",
            "ReLU and its variants (He et al. 2015)", "He uniform: U[−x, x], x = √(6/fan_in) (correct)",
            p => VarianceScaling.HeUniform()),
        new("he_normal", ["HeNormal"], Truncated, "σ² = 2/fan_in, truncated at ±2σ₀ = ±2.2737σ", [], "HeNormal",
            "— (kaiming_normal_ is untruncated)", "ReLU (Keras/JAX)",
            "He normal: randn·√(2/fan_in) (right variance; Keras truncates, that formula does not)",
            p => VarianceScaling.HeNormal())
        {
            SameVarianceDifferentDistribution = "kaiming_normal: untruncated normal (PyTorch); this one is truncated at ±2σ₀ (Keras)",
        },
        new("kaiming_uniform", ["kaiming_uniform_"], Uniform, "L = gain·√(3/n_mode), gain = calculate_gain(nonlinearity, a)",
            ["a=0", "mode=fan_in", "nonlinearity=leaky_relu"], "VarianceScaling(gain², mode, 'uniform')",
            "kaiming_uniform_(a=0, mode='fan_in', nonlinearity='leaky_relu')", "ReLU/leaky ReLU (PyTorch)", null,
            p => new Kaiming(uniform: true, p.Number("a", 0), p.Mode(FanMode.FanIn), p.Text("nonlinearity", "leaky_relu"))),
        new("kaiming_normal", ["kaiming_normal_"], Normal, "σ = gain/√n_mode, untruncated", ["a=0", "mode=fan_in", "nonlinearity=leaky_relu"],
            "VarianceScaling(gain², mode, 'untruncated_normal')", "kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu')",
            "ReLU/leaky ReLU (PyTorch)", null,
            p => new Kaiming(uniform: false, p.Number("a", 0), p.Mode(FanMode.FanIn), p.Text("nonlinearity", "leaky_relu")))
        {
            SameVarianceDifferentDistribution = "he_normal: truncated at ±2σ₀ (Keras); this one (defaults) is an untruncated normal (PyTorch)",
        },
        new("lecun_uniform", ["LecunUniform"], Uniform, "L = √(3/fan_in), σ² = 1/fan_in", [], "LecunUniform",
            "kaiming_uniform_(nonlinearity='linear')", "linear, SELU; tanh in the linear regime", null, p => VarianceScaling.LecunUniform()),
        new("lecun_normal", ["LecunNormal"], Truncated, "σ² = 1/fan_in, truncated at ±2σ₀", [], "LecunNormal",
            "— (kaiming_normal_(nonlinearity='linear') is untruncated)", "SELU (self-normalising nets)",
            "Xavier normal: randn·√(1/fan_in) (mislabelled: that is LeCun normal, untruncated = kaiming_normal(nonlinearity=linear))",
            p => VarianceScaling.LecunNormal())
        {
            SameVarianceDifferentDistribution = "kaiming_normal(nonlinearity=linear): untruncated normal (PyTorch); this one is truncated at ±2σ₀ (Keras)",
        },
        new("torch_linear_default",
            ["torch_linear", "pytorch_default", "torch_default", "pytorch_linear_default", "nn.linear", "kaiming_uniform(a=sqrt(5))",
                "kaiming_uniform_a=sqrt(5)", "kaiming_uniform_a_sqrt5", "glorot_bengio_standard", "xavier_standard"], Uniform,
            "w, b ~ U(±1/√fan_in) (weight's fan_in), σ² = 1/(3·fan_in); Glorot & Bengio's 'standard' U[−1/√n, 1/√n] (eq. 1; they kept b = 0)", [], "—", "nn.Linear default: kaiming_uniform_(a=√5)",
            "backward compatibility only: 1/3 of LeCun's variance, 1/6 of He's",
            "Xavier: U[−1/√n, 1/√n] (mislabelled: Glorot & Bengio's eq. 1 heuristic, PyTorch's Linear default)",
            p => new TorchLinearDefault()),
        new("sklearn_mlp", [], Uniform, "w, b ~ U(±√(f/(fan_in + fan_out))), f = 2 for logistic, else 6", ["activation=relu"],
            "—", "—", "what scikit-learn's MLPClassifier/Regressor do", null, p => new SklearnMlp(p.Text("activation", "relu"))),
        new("orthogonal", ["Orthogonal", "OrthogonalInitializer", "orthogonal_"], "orthogonal",
            "Haar (semi-)orthogonal × gain: WᵀW = gain²·I (r ≥ c)", ["gain=1"], "Orthogonal(gain=1.0)", "orthogonal_(gain=1)",
            "deep linear/tanh nets, RNN recurrent kernels (Saxe et al. 2014)", null, p => new Orthogonal(p.Number("gain", 1))),
        new("identity", ["Identity", "IdentityInitializer", "eye", "eye_"], "deterministic", "w_ij = gain·[i = j] (2-D)", ["gain=1"],
            "Identity(gain=1.0)", "eye_()", "residual/recurrent identity starts (IRNN)", null, p => new Identity(p.Number("gain", 1))),
        new("dirac", ["dirac_"], "deterministic", "w[g·out/groups + d, d, centre…] = 1", ["groups=1"], "—", "dirac_(groups=1)",
            "convolutions that start as identity maps", null, p => new Dirac(p.WholeNumber("groups", 1))),
        new("delta_orthogonal", [], "structured", "orthogonal in×out matrix × scale at the centre tap (k−1)//2", ["scale=1"], "—", "—",
            "very deep CNNs (Xiao et al. 2018); JAX delta_orthogonal", null, p => new DeltaOrthogonal(p.Number("scale", 1))),
        new("sparse", ["sparse_"], "sparse normal", "N(0, std²), ⌈sparsity·rows⌉ zeros per column (2-D)", ["sparsity", "std=0.01"],
            "—", "sparse_(sparsity, std=0.01)", "Martens 2010 (Hessian-free deep nets)", null,
            p => new Sparse(p.RequiredNumber("sparsity", "sparse"), p.Number("std", 0.01, "stddev"))),
        new("lsuv", ["LSUV"], "data-dependent", "orthonormal, then W ← W/√Var(output) per layer until |Var − 1| < tol", ["tol=0.1", "max_iter=10"],
            "—", "—", "any activation; needs a data batch (Mishkin & Matas 2016)", null,
            p => new Lsuv(p.Number("tol", 0.1), p.WholeNumber("max_iter", 10))),
        new("tutorial_zero", [], "constant", "w = 0 (the tutorial's 'zero initialization')", [], "Zeros", "zeros_",
            "what not to do: ReLU/tanh → no training; sigmoid → symmetric units", "Zero initialization",
            p => new Constant(0, "tutorial_zero")),
        new("tutorial_constant", [], "constant", "w = 0.5", [], "Constant(0.5)", "constant_(0.5)",
            "what not to do: every hidden unit identical, the net stays linear", "Constant initialization",
            p => new Constant(0.5, "tutorial_constant")),
        new("tutorial_small_random", [], Normal, "w ~ N(0, 0.0007²)", [], "RandomNormal(stddev=0.0007)", "normal_(std=0.0007)",
            "what not to do in deep nets: vanishing signals and gradients", "Too-small random initialization",
            p => new RandomNormal(0, 0.0007, "tutorial_small_random")),
        new("tutorial_large_random", [], Uniform, "w ~ U[0, 1)", [], "RandomUniform(0, 1)", "uniform_()",
            "what not to do: tanh/sigmoid saturate, ReLU explodes", "Too-large random initialization",
            p => new RandomUniform(0, 1, "tutorial_large_random")),
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
