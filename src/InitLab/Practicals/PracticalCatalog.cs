using InitLab.Common;
using InitLab.Diagnostics;

namespace InitLab.Practicals;

/// <summary>The ten practicals: every claim of the tutorial as runs with an expected verdict.</summary>
public static class PracticalCatalog
{
    private static readonly string[] s_activations = ["tanh", "sigmoid", "relu"];
    private static readonly (string, Verdict)[] s_largeRandom = [("tanh", Verdict.Saturated), ("sigmoid", Verdict.Saturated), ("relu", Verdict.ExplodingGradients)];
    private static readonly string[] s_glorot = ["glorot_normal", "glorot_uniform"];
    private static readonly string[] s_squashing = ["tanh", "sigmoid"];
    private static readonly string[] s_he = ["he_normal", "he_uniform"];
    private static readonly string[] s_sweepInits = ["glorot_uniform", "he_normal"];

    /// <summary>The case names, in teaching order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["zero-relu", "zero-tanh", "zero-sigmoid", "constant", "small-random", "large-random", "xavier", "he", "depth-sweep", "glorot-bengio"];

    /// <summary>Depths of the depth sweep (hidden layers); quick mode keeps the two ends.</summary>
    public static IReadOnlyList<int> SweepDepths(bool quick) => quick ? [5, 30] : [5, 10, 20, 30];

    /// <summary>
    /// The depth sweep's expectation from the analytic prediction: He keeps a ReLU signal's scale at any depth; Glorot
    /// on square layers multiplies its variance by 1/2 per layer, so the activation std ratio across the hidden layers
    /// is 2^(−(L−1)/2), below the vanishing threshold (1/100) from L = 15 on.
    /// </summary>
    /// <param name="init">The initializer.</param>
    /// <param name="depth">Hidden layers.</param>
    /// <returns>The expected verdict.</returns>
    public static Verdict ExpectedForSweep(string init, int depth) =>
        init == "he_normal" || Math.Pow(2, -(depth - 1) / 2.0) >= VerdictThresholds.Default.VanishingActivationRatio
            ? Verdict.Healthy
            : Verdict.VanishingGradients;

    /// <summary>The variants of one case.</summary>
    /// <param name="name">A case name.</param>
    /// <param name="quick">Fewer variants where a case sweeps.</param>
    /// <returns>The runs.</returns>
    public static IReadOnlyList<PracticalCase> Variants(string name, bool quick = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        const int Deep = 10, Width = 64;
        return name switch
        {
            "zero-relu" => [new(name, string.Empty,
                "W = 0, b = 0 with ReLU: hidden activations are 0 and so are their gradients: no training takes place.",
                Verdict.NoTraining, "relu", "zeros", "zeros", 2, Width)],
            "zero-tanh" => [new(name, string.Empty,
                "W = 0, b = 0 with tanh: tanh(0) = 0, so activations and gradients are 0 as with ReLU: no training.",
                Verdict.NoTraining, "tanh", "zeros", "zeros", 2, Width)],
            "zero-sigmoid" => [new(name, string.Empty,
                "W = 0 with sigmoid: σ(0) = 0.5, gradients flow, but every hidden unit gets the same one: 1000 neurons act as one.",
                Verdict.Symmetric, "sigmoid", "zeros", "zeros", 1, 1000)],
            "constant" => [new(name, string.Empty,
                "All weights and biases 0.5 with ReLU: every unit computes the same thing; symmetry is never broken and the net stays linear.",
                Verdict.Symmetric, "relu", "tutorial_constant", "tutorial_constant", 2, 16)],
            "small-random" => [.. s_activations.Select(a => new PracticalCase(name, a,
                "Too-small random weights (≈0.0007) in a deep net: signals and gradients shrink layer after layer (extreme for tanh).",
                Verdict.VanishingGradients, a, "tutorial_small_random", "zeros", Deep, Width))],
            "large-random" => [.. s_largeRandom
                .Select(p => new PracticalCase(name, p.Item1,
                    "Too-large random weights U(0, 1) in a deep net: tanh/sigmoid saturate (slow learning), ReLU signals and gradients explode.",
                    p.Item2, p.Item1, "tutorial_large_random", "zeros", Deep, Width))],
            // The cures train with Adam: a sigmoid's slope is at most 1/4, so even under Glorot its gradient shrinks
            // ~4x per layer and plain SGD crawls (Glorot & Bengio saw the same); Adam's per-weight step removes that
            // scale while leaving the forward signal, which is what the initializer controls, unchanged.
            "xavier" => [.. from init in s_glorot
                            from a in s_squashing
                            select new PracticalCase(name, $"{init}+{a}",
                                "Xavier/Glorot initialization keeps tanh and sigmoid activations at a stable variance across layers: the net trains.",
                                Verdict.Healthy, a, init, "zeros", 2, Width, LearningRate: 0.01, Optimizer: "adam")],
            "he" => [.. s_he.Select(init => new PracticalCase(name, init,
                "He initialization (variance 2/fan_in) keeps ReLU signals stable: the net trains.",
                Verdict.Healthy, "relu", init, "zeros", 3, Width, LearningRate: 0.01, Optimizer: "adam"))],
            "depth-sweep" => [.. from depth in SweepDepths(quick)
                                 from init in s_sweepInits
                                 select new PracticalCase(name, $"{init}@{depth}",
                                     "ReLU nets of growing depth: with Glorot the signal's variance halves per layer (std ratio 2^(−(L−1)/2): " +
                                     "below 1/100 from 15 layers on) and a deep net stalls; He keeps it and trains (He et al. 2015).",
                                     ExpectedForSweep(init, depth), "relu", init, "zeros", depth, Width, LearningRate: 0.005)],
            "glorot-bengio" => [
                new(name, "standard", "Glorot & Bengio 2010: the 'standard' U[−1/√n, 1/√n] (variance 1/(3n)) shrinks tanh activations by about 1/√3 per layer; " +
                    "at 5 layers the net still trains — compare the per-layer distributions.",
                    Verdict.Healthy, "tanh", "torch_linear_default", "zeros", 5, Width),
                new(name, "normalized", "Glorot & Bengio 2010: normalized initialization U[±√(6/(n_in+n_out))] keeps them alike across layers.",
                    Verdict.Healthy, "tanh", "glorot_uniform", "zeros", 5, Width),
            ],
            _ => throw new UnknownNameException("practical case", name, Names, nameof(name)),
        };
    }
}
