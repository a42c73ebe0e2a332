namespace InitLab.Training;

/// <summary>What an <see cref="EarlyStopping"/> callback saw and did during one <see cref="Sequential.Fit"/>.</summary>
/// <param name="Monitor">The quantity actually monitored ("val_loss", or "loss" when val_loss was asked for but the fit
/// had no validation data; likewise for accuracy).</param>
/// <param name="Patience">The patience, in epochs.</param>
/// <param name="BestEpoch">1-based epoch with the best monitored value (0 if no epoch was monitored).</param>
/// <param name="BestValue">That value (NaN if none).</param>
/// <param name="EpochsWithoutImprovement">Epochs since the last improvement when training ended (Keras's <c>wait</c>).</param>
/// <param name="StoppedEpoch">1-based epoch after which it stopped training, or null if it never fired.</param>
/// <param name="RestoredEpoch">1-based epoch whose weights were put back at the end, or null if none were.</param>
public sealed record EarlyStoppingReport(string Monitor, int Patience, int BestEpoch, double BestValue, int EpochsWithoutImprovement,
    int? StoppedEpoch, int? RestoredEpoch);
