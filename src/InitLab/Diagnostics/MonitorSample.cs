namespace InitLab.Diagnostics;

/// <summary>Every layer at one monitored step.</summary>
/// <param name="Step">0-based global step.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">The batch loss (before the update).</param>
/// <param name="Layers">Per layer, first to last.</param>
public sealed record MonitorSample(long Step, int Epoch, double Loss, IReadOnlyList<LayerMonitorSample> Layers);
