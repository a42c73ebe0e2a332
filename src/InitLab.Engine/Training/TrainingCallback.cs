namespace InitLab.Training;

/// <summary>
/// Hooks into training. At <see cref="OnBatchEnd"/> every layer's buffers hold this batch: input, pre-activation,
/// activation and their gradients, and the kernel/bias gradients; the weights are already updated. Reading them copies
/// nothing; nothing is computed for hooks when no callback is registered.
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch (after any LSUV calibration).</summary>
    /// <param name="model">The model.</param>
    public virtual void OnTrainBegin(Sequential model)
    {
    }

    /// <summary>After each update.</summary>
    /// <param name="context">The batch (one object reused for the whole fit).</param>
    public virtual void OnBatchEnd(BatchContext context)
    {
    }

    /// <summary>After each epoch's validation.</summary>
    /// <param name="context">The epoch; set <see cref="EpochContext.StopTraining"/> to stop.</param>
    public virtual void OnEpochEnd(EpochContext context)
    {
    }

    /// <summary>After the last epoch.</summary>
    /// <param name="model">The model.</param>
    /// <param name="history">The history.</param>
    public virtual void OnTrainEnd(Sequential model, History history)
    {
    }
}

/// <summary>The state at the end of a batch.</summary>
public sealed class BatchContext
{
    internal BatchContext(Sequential model) => Model = model;

    /// <summary>The model (layers expose their buffers).</summary>
    public Sequential Model { get; }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; internal set; }

    /// <summary>0-based step within the epoch.</summary>
    public int StepInEpoch { get; internal set; }

    /// <summary>0-based global step.</summary>
    public long Step { get; internal set; }

    /// <summary>Rows in this batch.</summary>
    public int Rows { get; internal set; }

    /// <summary>This batch's loss (before the update).</summary>
    public double Loss { get; internal set; }

    /// <summary>This batch's accuracy (before the update; NaN for losses without classes).</summary>
    public double Accuracy { get; internal set; } = double.NaN;

    /// <summary>Set to stop training after this step: the epoch is closed over the rows seen so far (its metrics,
    /// validation and <see cref="TrainingCallback.OnEpochEnd"/> still run) and no further step is taken.</summary>
    public bool StopTraining { get; set; }
}

/// <summary>The state at the end of an epoch.</summary>
public sealed class EpochContext
{
    internal EpochContext(Sequential model, EpochMetrics metrics)
    {
        Model = model;
        Metrics = metrics;
    }

    /// <summary>The model.</summary>
    public Sequential Model { get; }

    /// <summary>This epoch's metrics.</summary>
    public EpochMetrics Metrics { get; }

    /// <summary>Set to stop after this epoch.</summary>
    public bool StopTraining { get; set; }
}
