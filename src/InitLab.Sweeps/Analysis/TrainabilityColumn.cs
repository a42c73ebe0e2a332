namespace InitLab.Sweeps.Analysis;

/// <summary>One σ_w² of a <see cref="TrainabilityDiagram"/>: how deep the measured networks trained, and how deep the
/// mean-field theory says signals propagate.</summary>
/// <param name="WeightVariance">σ_w².</param>
/// <param name="Depths">The depths measured at this σ_w², ascending, with the metric over seeds (best configuration over free axes).</param>
/// <param name="MaxTrainableDepth">The largest grid depth up to which every measured depth is trainable (mean accuracy ≥
/// the diagram's threshold); null when even the shallowest is not.</param>
/// <param name="FirstUntrainableDepth">The next grid depth after <paramref name="MaxTrainableDepth"/> (the true boundary lies
/// between the two); null when every measured depth trained (the boundary lies beyond the grid).</param>
/// <param name="Chi1">χ₁ at this σ_w² (&lt; 1 ordered, &gt; 1 chaotic).</param>
/// <param name="CorrelationDepthScale">ξ_c in layers (+∞ at criticality).</param>
/// <param name="TheoryDepth">The factor times ξ_c (6ξ_c for Schoenholz et al.'s bound).</param>
public sealed record TrainabilityColumn(double WeightVariance, IReadOnlyList<(double Depth, MetricSummary Summary)> Depths,
    double? MaxTrainableDepth, double? FirstUntrainableDepth, double Chi1, double CorrelationDepthScale, double TheoryDepth)
{
    /// <summary>Measured max trainable depth over the theory depth; NaN when either is missing or infinite, or the
    /// boundary lies beyond the grid (the measured value is then only a lower bound).</summary>
    public double Ratio => MaxTrainableDepth is double measured && FirstUntrainableDepth is not null && double.IsFinite(TheoryDepth) && TheoryDepth > 0
        ? measured / TheoryDepth : double.NaN;

    /// <summary>Whether the theory depth lies in the measured bracket [max trainable, first untrainable] (bounds included);
    /// with no untrainable depth the bracket is open above, with no trainable depth it starts at 0.</summary>
    public bool TheoryWithinBracket => double.IsFinite(TheoryDepth)
        ? TheoryDepth >= (MaxTrainableDepth ?? 0) && (FirstUntrainableDepth is not double upper || TheoryDepth <= upper)
        : FirstUntrainableDepth is null;
}
