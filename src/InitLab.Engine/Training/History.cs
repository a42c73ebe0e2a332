namespace InitLab.Training;

/// <summary>Metrics at the end of one epoch. Accuracy is NaN for losses without classes; validation values are null
/// without validation data.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean training loss over the epoch's batches (weighted by rows).</param>
/// <param name="Accuracy">Training accuracy over the epoch.</param>
/// <param name="ValidationLoss">Validation loss after the epoch.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch.</param>
public sealed record EpochMetrics(int Epoch, double Loss, double Accuracy, double? ValidationLoss, double? ValidationAccuracy);

/// <summary>What a <see cref="Sequential.Fit"/> call produced.</summary>
public sealed class History
{
    /// <summary>One entry per completed epoch.</summary>
    public List<EpochMetrics> Epochs { get; } = [];

    /// <summary>Total optimizer steps.</summary>
    public long Steps { get; internal set; }

    /// <summary>Every step's batch loss (before its update), in order, when <see cref="FitOptions.RecordStepLosses"/> was
    /// set; null otherwise.</summary>
    public List<double>? StepLosses { get; internal init; }

    /// <summary>Whether a callback stopped training before the last requested epoch.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>The 1-based epoch after which a callback stopped training, or null when no callback asked to stop.</summary>
    public int? StoppedEpoch { get; internal set; }

    /// <summary>The 1-based epoch whose weights an <see cref="Training.EarlyStopping"/> callback put back at the end, or
    /// null when no weights were restored (the model then holds the last epoch's weights).</summary>
    public int? RestoredEpoch { get; internal set; }

    /// <summary>What an <see cref="Training.EarlyStopping"/> callback saw (monitor, best epoch, counter), when one took part.</summary>
    public EarlyStoppingReport? EarlyStopping { get; internal set; }

    /// <summary>The LSUV calibration, when a layer used the lsuv initializer.</summary>
    public LsuvReport? Lsuv { get; internal set; }
}

/// <summary>Loss and accuracy on a data set.</summary>
/// <param name="Loss">Mean loss.</param>
/// <param name="Accuracy">Accuracy (NaN without classes).</param>
public readonly record struct Evaluation(double Loss, double Accuracy);
