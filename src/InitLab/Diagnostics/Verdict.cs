namespace InitLab.Diagnostics;

/// <summary>What happened to a training run, in the tutorial's words.</summary>
public enum Verdict
{
    /// <summary>The signal or the gradient grows without bound (or the loss became NaN).</summary>
    ExplodingGradients,

    /// <summary>tanh/sigmoid units sit in their flat tails, where the gradient is ~0.</summary>
    Saturated,

    /// <summary>The hidden weights never moved: zero activations and zero gradients.</summary>
    NoTraining,

    /// <summary>Every hidden layer has one distinct unit: symmetry was never broken, the net acts as one neuron per layer.</summary>
    Symmetric,

    /// <summary>The signal or the gradient fades across the layers.</summary>
    VanishingGradients,

    /// <summary>Training works but reaches a clearly worse fit in the same budget.</summary>
    SlowConvergence,

    /// <summary>Signals and gradients keep their scale and the net trains.</summary>
    Healthy,
}

/// <summary>Every threshold the verdict classifier uses, in one place.</summary>
public sealed record VerdictThresholds
{
    /// <summary>Symmetric when every hidden layer (wider than 1) has this many distinct units.</summary>
    public int SymmetricDistinctUnits { get; init; } = 1;

    /// <summary>Exploding when a ratio (first/last gradient, last/first activation std) at initialisation exceeds this.</summary>
    public double ExplodingRatio { get; init; } = 1e3;

    /// <summary>Exploding when any layer's pre-activation std at initialisation exceeds this.</summary>
    public double ExplodingPreActivationStd { get; init; } = 1e3;

    /// <summary>Saturated when more than this fraction of some tanh/sigmoid hidden layer's activations is saturated at initialisation.</summary>
    public double SaturatedFraction { get; init; } = 0.5;

    /// <summary>Vanishing when the first-layer gradient norm is below this fraction of the last layer's at initialisation.</summary>
    public double VanishingGradientRatio { get; init; } = 1e-3;

    /// <summary>Vanishing when the last hidden layer's activation std is below this fraction of the first's at initialisation.</summary>
    public double VanishingActivationRatio { get; init; } = 1e-2;

    /// <summary>Slow convergence when the final test accuracy is below this (for a task healthy nets solve).</summary>
    public double HealthyAccuracy { get; init; } = 0.9;

    /// <summary>The defaults.</summary>
    public static VerdictThresholds Default { get; } = new();
}

/// <summary>The evidence a verdict is drawn from.</summary>
/// <param name="AtInit">Snapshot on the probe batch before training.</param>
/// <param name="HiddenWeightsUnchanged">Every hidden kernel and bias bit-identical after training.</param>
/// <param name="DistinctHiddenUnits">Distinct units per hidden layer after training.</param>
/// <param name="Diverged">The loss became NaN or infinite.</param>
/// <param name="FinalAccuracy">Test accuracy after training (NaN if none).</param>
public sealed record VerdictEvidence(ModelSnapshot AtInit, bool HiddenWeightsUnchanged, IReadOnlyList<int> DistinctHiddenUnits, bool Diverged, double FinalAccuracy);
