namespace InitLab.Practicals;

/// <summary>How the practicals are run. Every run of every case uses the same data, optimizer and budget, so only
/// the initialization (and the activation and depth it is paired with) differs.</summary>
public sealed record PracticalOptions
{
    /// <summary>Weight seeds per case (1, 2, …).</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Fewer epochs and sweep points, for a run under 15 s.</summary>
    public bool Quick { get; init; }

    /// <summary>Epochs per run (default 40, quick 30).</summary>
    public int? Epochs { get; init; }

    /// <summary>Data set: two concentric circles, not linearly separable (a linear model gets about 50%).</summary>
    public string Data { get; init; } = "circles";

    /// <summary>Rows of the data set.</summary>
    public int Rows { get; init; } = 1000;

    /// <summary>Seed of the data and its split (fixed across weight seeds).</summary>
    public ulong DataSeed { get; init; } = 1;

    /// <summary>SGD learning rate (plain SGD with momentum, as in He et al. 2015: no adaptive step hides a bad scale).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Rows per update.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Kernel threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The epochs actually used.</summary>
    public int EffectiveEpochs => Epochs ?? (Quick ? 30 : 40);
}
