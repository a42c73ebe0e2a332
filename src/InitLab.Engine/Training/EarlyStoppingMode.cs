namespace InitLab.Training;

/// <summary>Which direction of the monitored quantity is an improvement (Keras's <c>mode</c>).</summary>
public enum EarlyStoppingMode
{
    /// <summary>Lower is better for losses, higher for accuracies (Keras's "auto").</summary>
    Auto,

    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}
