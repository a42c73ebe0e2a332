namespace InitLab.Training;

/// <summary>
/// Stops training when the monitored loss has not improved by more than <paramref name="minDelta"/> for
/// <paramref name="patience"/> epochs; optionally restores the best weights (Keras's EarlyStopping).
/// </summary>
/// <param name="patience">Epochs without improvement to tolerate, ≥ 0.</param>
/// <param name="minDelta">Smallest decrease that counts as improvement, ≥ 0.</param>
/// <param name="monitorValidation">Monitor val_loss (true, falls back to loss without validation data) or loss.</param>
/// <param name="restoreBestWeights">Put back the weights of the best epoch when stopping or finishing.</param>
public sealed class EarlyStopping(int patience = 5, double minDelta = 0, bool monitorValidation = true, bool restoreBestWeights = false)
    : TrainingCallback
{
    private double _best = double.PositiveInfinity;
    private int _wait;
    private float[][]? _bestWeights;

    /// <summary>The epoch with the best monitored value.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(Sequential model)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        _best = double.PositiveInfinity;
        _wait = 0;
        BestEpoch = 0;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double value = monitorValidation && context.Metrics.ValidationLoss is double v ? v : context.Metrics.Loss;
        if (value < _best - minDelta)
        {
            _best = value;
            _wait = 0;
            BestEpoch = context.Metrics.Epoch;
            if (restoreBestWeights)
            {
                _bestWeights = [.. context.Model.Parameters.Select(p => (float[])p.Value.Clone())];
            }
            return;
        }
        _wait++;
        if (_wait > patience)
        {
            context.StopTraining = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(Sequential model, History history)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (restoreBestWeights && _bestWeights is not null)
        {
            for (int i = 0; i < _bestWeights.Length; i++)
            {
                _bestWeights[i].CopyTo(model.Parameters[i].Value, 0);
            }
        }
    }
}
