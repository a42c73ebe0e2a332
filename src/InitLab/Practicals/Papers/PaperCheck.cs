namespace InitLab.Practicals.Papers;

/// <summary>
/// One measured claim of a paper: what the paper predicts (a formula, worked out for this network), what was measured
/// over the seeds, and whether the two agree by the stated criterion.
/// </summary>
/// <param name="Case">The practical (e.g. "isometry").</param>
/// <param name="Variant">The network within it (e.g. "tanh-orthogonal@32").</param>
/// <param name="Paper">The source, e.g. "Pennington, Schoenholz &amp; Ganguli 2017".</param>
/// <param name="Formula">The formula checked, in plain text.</param>
/// <param name="Claim">The paper's claim for this network, in plain words.</param>
/// <param name="Predicted">The formula's value for this network.</param>
/// <param name="Measured">The measured value (mean over seeds).</param>
/// <param name="PerSeed">The measured value of each seed.</param>
/// <param name="Criterion">How predicted and measured are compared (e.g. "within a factor 1.5").</param>
/// <param name="Passed">Whether the measurement agrees with the claim by that criterion.</param>
/// <param name="Samples">Values to draw as a histogram (e.g. the first seed's squared singular values); may be empty.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record PaperCheck(
    string Case,
    string Variant,
    string Paper,
    string Formula,
    string Claim,
    double Predicted,
    double Measured,
    IReadOnlyList<double> PerSeed,
    string Criterion,
    bool Passed,
    IReadOnlyList<double> Samples,
    double Seconds)
{
    /// <summary>A measured per-layer trajectory (mean over seeds) to draw beside <see cref="PredictedTrajectory"/>; empty if none.</summary>
    public IReadOnlyList<double> MeasuredTrajectory { get; init; } = [];

    /// <summary>The theory's per-layer trajectory; empty if none.</summary>
    public IReadOnlyList<double> PredictedTrajectory { get; init; } = [];

    /// <summary>"case/variant".</summary>
    public string Id => $"{Case}/{Variant}";
}
