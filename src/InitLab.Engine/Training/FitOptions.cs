using InitLab.Tensors;

namespace InitLab.Training;

/// <summary>How <see cref="Sequential.Fit"/> trains.</summary>
public sealed record FitOptions
{
    /// <summary>Passes over the training data, ≥ 1.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per update, ≥ 1: 1 is stochastic, the data size is batch gradient descent, in between mini-batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to reshuffle the rows each epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling stream (independent of the weight seed).</summary>
    public ulong ShuffleSeed { get; init; }

    /// <summary>Fraction of the rows, taken from the end before shuffling (as Keras does), held out for validation; in [0, 1).</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Explicit validation inputs (overrides <see cref="ValidationSplit"/>).</summary>
    public Tensor? ValidationX { get; init; }

    /// <summary>Explicit validation targets.</summary>
    public Tensor? ValidationY { get; init; }

    /// <summary>Whether <see cref="History.StepLosses"/> keeps every step's batch loss (one double per step).</summary>
    public bool RecordStepLosses { get; init; }

    /// <summary>Callbacks, called in order.</summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; init; } = [];
}
