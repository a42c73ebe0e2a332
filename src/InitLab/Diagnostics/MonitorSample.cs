namespace InitLab.Diagnostics;

/// <summary>Every layer at one monitored step.</summary>
/// <param name="Step">0-based global step.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">The batch loss (before the update).</param>
/// <param name="Layers">Per Dense layer, first to last in forward order (inside residual blocks too).</param>
public sealed record MonitorSample(long Step, int Epoch, double Loss, IReadOnlyList<LayerMonitorSample> Layers)
{
    /// <summary>Per residual block: branch F(x), shortcut s(x) and output, and α²·E[F²]/E[x²] (empty without blocks).</summary>
    public IReadOnlyList<BlockSnapshot> Blocks { get; init; } = [];

    /// <summary>Per BatchNormalization / LayerNormalization layer, its output (empty without them).</summary>
    public IReadOnlyList<OutputSnapshot> Normalizations { get; init; } = [];
}
