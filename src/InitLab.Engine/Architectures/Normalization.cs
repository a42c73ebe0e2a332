namespace InitLab.Architectures;

/// <summary>Which normalization layer a built architecture puts in its residual branches.</summary>
public enum Normalization
{
    /// <summary>No normalization: initialization alone must keep the signal in range.</summary>
    None,

    /// <summary><see cref="Layers.BatchNormalization"/> (statistics over the batch's rows).</summary>
    Batch,

    /// <summary><see cref="Layers.LayerNormalization"/> (statistics over each row's features).</summary>
    Layer,
}
