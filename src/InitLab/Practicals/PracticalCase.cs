using InitLab.Diagnostics;

namespace InitLab.Practicals;

/// <summary>
/// One run of a practical: a claim of the tutorial, the network that tests it, and the verdict the tutorial expects.
/// A named case (e.g. <c>small-random</c>) has one variant per activation, initializer or depth it covers.
/// </summary>
/// <param name="Case">The case name (e.g. "zero-relu").</param>
/// <param name="Variant">What distinguishes this run within the case (e.g. "tanh").</param>
/// <param name="Claim">The tutorial's claim, in plain words.</param>
/// <param name="Expected">The verdict the tutorial predicts.</param>
/// <param name="Activation">Hidden activation.</param>
/// <param name="KernelInitializer">Kernel initializer (registry name).</param>
/// <param name="BiasInitializer">Bias initializer (registry name).</param>
/// <param name="HiddenLayers">Number of hidden layers.</param>
/// <param name="Width">Units per hidden layer.</param>
/// <param name="LearningRate">Overrides the shared SGD learning rate (deep nets need a smaller step to stay stable).</param>
/// <param name="Data">Overrides the shared data set.</param>
/// <param name="Optimizer">Overrides the shared optimizer (SGD with momentum): a registry name such as "adam".</param>
public sealed record PracticalCase(
    string Case,
    string Variant,
    string Claim,
    Verdict Expected,
    string Activation,
    string KernelInitializer,
    string BiasInitializer,
    int HiddenLayers,
    int Width,
    double? LearningRate = null,
    string? Data = null,
    string? Optimizer = null)
{
    /// <summary>"case/variant" (or the case alone).</summary>
    public string Id => Variant.Length == 0 ? Case : $"{Case}/{Variant}";
}
