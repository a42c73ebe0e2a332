using System.Globalization;

namespace InitLab.Training;

/// <summary>
/// Keras 3's EarlyStopping: after every epoch, the monitored value improves when it beats the best so far by more than
/// <c>minDelta</c> (below best − minDelta in min mode, above best + minDelta in max mode); otherwise a counter grows, and
/// training stops once the counter reaches <c>patience</c> (<c>wait ≥ patience</c>), never after the first monitored
/// epoch. With <c>restoreBestWeights</c> the weights of the best epoch are put back when training ends, whether or not
/// it stopped early (Keras 3; Keras 2 restored only on an early stop); if no epoch ever improved, the first monitored
/// epoch's weights count as the best. What happened is recorded in <see cref="History.EarlyStopping"/>,
/// <see cref="History.StoppedEpoch"/> and <see cref="History.RestoredEpoch"/>.
/// </summary>
/// <remarks>
/// Differences from Keras, on purpose: a "val_" monitor without validation data falls back to the training metric
/// (Keras warns and never stops), and the recorded name says which one was used; the best value is reset at every
/// <c>Fit</c> (Keras keeps it across fits of the same instance while resetting the counter).
/// </remarks>
public sealed class EarlyStopping : TrainingCallback
{
    private static readonly string[] Monitors = ["loss", "val_loss", "accuracy", "val_accuracy"];

    private readonly int _patience;
    private readonly double _minDelta;
    private readonly string _monitor;
    private readonly EarlyStoppingMode _mode;
    private readonly bool _restoreBestWeights;
    private readonly double? _baseline;
    private readonly int _startFromEpoch;
    private double _best;
    private int _wait;
    private int? _stoppedEpoch;
    private string _monitored = string.Empty;
    private float[][]? _bestWeights;
    private int _bestWeightsEpoch;

    /// <summary>Creates the callback; the defaults are Keras's.</summary>
    /// <param name="patience">Epochs without improvement after which training stops, ≥ 0.</param>
    /// <param name="minDelta">Smallest change that counts as improvement; its absolute value is used (as Keras does).</param>
    /// <param name="monitor">"val_loss", "loss", "val_accuracy" or "accuracy".</param>
    /// <param name="mode">Whether lower or higher is better; Auto: lower for losses, higher for accuracies.</param>
    /// <param name="restoreBestWeights">Put back the weights of the best epoch when training ends.</param>
    /// <param name="baseline">A value to beat: until an epoch beats it, the counter is not reset (null: none).</param>
    /// <param name="startFromEpoch">Epochs at the start that are not monitored (warm-up), ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative patience or start epoch, a non-finite minDelta or baseline.</exception>
    /// <exception cref="ArgumentException">An unknown monitor name.</exception>
    public EarlyStopping(int patience = 0, double minDelta = 0, string monitor = "val_loss", EarlyStoppingMode mode = EarlyStoppingMode.Auto,
        bool restoreBestWeights = false, double? baseline = null, int startFromEpoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(startFromEpoch);
        ArgumentNullException.ThrowIfNull(monitor);
        if (!double.IsFinite(minDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta,
                string.Create(CultureInfo.InvariantCulture, $"EarlyStopping: minDelta must be a finite number, got {minDelta}."));
        }
        if (baseline is double b && !double.IsFinite(b))
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), baseline,
                string.Create(CultureInfo.InvariantCulture, $"EarlyStopping: baseline must be a finite number or null, got {b}."));
        }
        if (!Monitors.Contains(monitor))
        {
            throw new ArgumentException($"EarlyStopping: unknown monitor '{monitor}'. Valid: {string.Join(", ", Monitors)}.", nameof(monitor));
        }
        _patience = patience;
        _minDelta = Math.Abs(minDelta);
        _monitor = monitor;
        _mode = mode;
        _restoreBestWeights = restoreBestWeights;
        _baseline = baseline;
        _startFromEpoch = startFromEpoch;
    }

    /// <summary>The 1-based epoch with the best monitored value so far (0 before any).</summary>
    public int BestEpoch { get; private set; }

    private bool LowerIsBetter => _mode == EarlyStoppingMode.Min || (_mode == EarlyStoppingMode.Auto && _monitor.EndsWith("loss", StringComparison.Ordinal));

    /// <inheritdoc />
    public override void OnTrainBegin(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_monitor.EndsWith("accuracy", StringComparison.Ordinal) && !Metrics.HasAccuracy(model.Loss!, model.OutputDim))
        {
            throw new InvalidOperationException(
                $"EarlyStopping: monitor '{_monitor}' needs an accuracy, but loss '{model.Loss?.Name}' with {model.OutputDim} output(s) has none; monitor 'val_loss' or 'loss'.");
        }
        _best = LowerIsBetter ? double.PositiveInfinity : double.NegativeInfinity;
        _wait = 0;
        _stoppedEpoch = null;
        _bestWeights = null;
        _bestWeightsEpoch = 0;
        _monitored = _monitor;
        BestEpoch = 0;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        EpochMetrics m = context.Metrics;
        bool validation = _monitor.StartsWith("val_", StringComparison.Ordinal) && m.ValidationLoss is not null;
        bool loss = _monitor.EndsWith("loss", StringComparison.Ordinal);
        _monitored = (validation ? "val_" : string.Empty) + (loss ? "loss" : "accuracy");
        double current = (validation, loss) switch
        {
            (true, true) => m.ValidationLoss!.Value,
            (true, false) => m.ValidationAccuracy!.Value,
            (false, true) => m.Loss,
            _ => m.Accuracy,
        };
        // Keras counts epochs from 0 and skips epoch < start_from_epoch; ours count from 1.
        if (m.Epoch <= _startFromEpoch)
        {
            return;
        }
        if (_restoreBestWeights && _bestWeights is null)
        {
            // Keras: until something improves, the first monitored epoch's weights are the best.
            SaveWeights(context.Model, m.Epoch);
        }
        _wait++;
        if (IsImprovement(current, _best))
        {
            _best = current;
            BestEpoch = m.Epoch;
            if (_restoreBestWeights)
            {
                SaveWeights(context.Model, m.Epoch);
            }
            // Keras resets the counter only when the value also beats the baseline.
            if (_baseline is not double baseline || IsImprovement(current, baseline))
            {
                _wait = 0;
            }
            return;
        }
        // Keras: "wait >= patience and epoch > 0" with 0-based epochs, so never right after the first epoch.
        if (_wait >= _patience && m.Epoch > 1)
        {
            _stoppedEpoch = m.Epoch;
            context.StopTraining = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(Sequential model, History history)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(history);
        int? restored = null;
        if (_restoreBestWeights && _bestWeights is not null)
        {
            for (int i = 0; i < _bestWeights.Length; i++)
            {
                _bestWeights[i].CopyTo(model.Parameters[i].Value, 0);
            }
            restored = _bestWeightsEpoch;
            history.RestoredEpoch = restored;
        }
        history.EarlyStopping = new EarlyStoppingReport(_monitored, _patience, BestEpoch, BestEpoch > 0 ? _best : double.NaN, _wait,
            _stoppedEpoch, restored);
    }

    /// <summary>Keras's _is_improvement: monitor_op(current − min_delta, reference), with min_delta negated in min mode.
    /// A NaN never improves.</summary>
    private bool IsImprovement(double current, double reference) =>
        LowerIsBetter ? current + _minDelta < reference : current - _minDelta > reference;

    private void SaveWeights(Sequential model, int epoch)
    {
        _bestWeights ??= [.. model.Parameters.Select(p => new float[p.Value.Length])];
        for (int i = 0; i < _bestWeights.Length; i++)
        {
            model.Parameters[i].Value.CopyTo(_bestWeights[i], 0);
        }
        _bestWeightsEpoch = epoch;
    }
}
