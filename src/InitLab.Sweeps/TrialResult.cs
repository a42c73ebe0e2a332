namespace InitLab.Sweeps;

/// <summary>What one finished trial measured.</summary>
/// <param name="Seconds">Wall time of the training (data preparation included, store excluded).</param>
/// <param name="Epochs">Epochs actually run (fewer when early stopping or divergence ended the run).</param>
/// <param name="TrainLoss">Final training loss (NaN when the run diverged).</param>
/// <param name="TrainAccuracy">Final training accuracy (NaN for regression).</param>
/// <param name="TestLoss">Test loss of the final model.</param>
/// <param name="TestAccuracy">Test accuracy of the final model (NaN for regression).</param>
/// <param name="Verdict">The verdict's name (healthy, vanishing, exploding, dead, symmetric, diverged, …).</param>
/// <param name="VerdictReason">Why, in one sentence.</param>
/// <param name="HistoryJson">Per-epoch metrics as a JSON array of objects (epoch, loss, accuracy, val_loss, val_accuracy).</param>
/// <param name="InitLayersJson">Per-layer statistics at initialization (from the probe) as a JSON array, or "[]".</param>
public sealed record TrialResult(double Seconds, int Epochs, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    string Verdict, string VerdictReason, string HistoryJson, string InitLayersJson);
