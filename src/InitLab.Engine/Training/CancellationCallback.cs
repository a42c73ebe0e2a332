namespace InitLab.Training;

/// <summary>
/// Stops <see cref="Sequential.Fit"/> between two batches once a token is cancelled (Ctrl-C in the CLI), by throwing
/// <see cref="OperationCanceledException"/>: the weights hold a whole number of updates, and nothing after the fit runs.
/// </summary>
/// <param name="cancellation">The token to check after every batch.</param>
public sealed class CancellationCallback(CancellationToken cancellation) : TrainingCallback
{
    /// <inheritdoc/>
    public override void OnTrainBegin(Sequential model) => cancellation.ThrowIfCancellationRequested();

    /// <inheritdoc/>
    public override void OnBatchEnd(BatchContext context) => cancellation.ThrowIfCancellationRequested();
}
