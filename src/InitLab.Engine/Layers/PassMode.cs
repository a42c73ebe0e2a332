namespace InitLab.Layers;

/// <summary>What a forward pass is for; only the normalization layers behave differently.</summary>
public enum PassMode
{
    /// <summary>Training: batch normalization uses the batch's statistics and updates its running ones (Keras
    /// <c>training=True</c>, PyTorch <c>model.train()</c>).</summary>
    Train,

    /// <summary>Prediction and evaluation: batch normalization uses its running statistics (Keras <c>training=False</c>,
    /// PyTorch <c>model.eval()</c>).</summary>
    Infer,

    /// <summary>A measurement (diagnostics, probes, gradient checks): the batch's statistics, as in training, but the
    /// running statistics are left alone, so looking at a model never changes it.</summary>
    Probe,
}
