using InitLab.Sweeps.Analysis;

namespace InitLab.Sweeps.Tests.Analysis;

public sealed class TrainabilityDiagramTests
{
    private static readonly int[] s_depths = [2, 5, 10, 20, 40];

    /// <summary>tanh, σ_b² = 0: in the ordered phase q* = 0, so χ₁ = σ_w²·tanh′(0)² = σ_w² and ξ_c = −1/ln σ_w² exactly,
    /// and the critical σ_w² is 1. Depth d is given accuracy 0.95 when d ≤ trainable[σ_w²], else 0.12 (chance 0.1).</summary>
    private static IReadOnlyList<ConfigurationGroup> Groups(Dictionary<double, int> trainableUpTo, double biasVariance = 0)
    {
        var trials = new List<TrialRecord>();
        foreach ((double weightVariance, int limit) in trainableUpTo)
        {
            foreach (int depth in s_depths)
            {
                for (ulong seed = 1; seed <= 3; seed++)
                {
                    double accuracy = depth <= limit ? 0.95 : 0.12;
                    trials.Add(SweepFixtures.Done(SweepFixtures.Settings(("activation", "tanh"), ("init", "random_normal"),
                        ("sigma-w2", weightVariance), ("sigma-b2", biasVariance), ("depth", depth)), seed, accuracy));
                }
            }
        }
        return SweepAnalysis.GroupBySeeds(trials);
    }

    [Fact]
    public void Build_OrderedTanhZeroBias_MaxDepthFromFixture_TheoryFromClosedForm()
    {
        var diagram = TrainabilityDiagram.Build(Groups(new() { [0.5] = 5, [0.8] = 20 }), threshold: 0.55, chance: 0.1);

        Assert.Equal(1.0, diagram.CriticalWeightVariance, 6);
        Assert.Equal(2, diagram.Columns.Count);
        TrainabilityColumn half = diagram.Columns[0];
        Assert.Equal(0.5, half.WeightVariance);
        Assert.Equal(5, half.MaxTrainableDepth);
        Assert.Equal(10, half.FirstUntrainableDepth);
        double xiHalf = -1 / Math.Log(0.5); // 1.4427 layers
        Assert.Equal(0.5, half.Chi1, 9);
        Assert.Equal(xiHalf, half.CorrelationDepthScale, 6);
        Assert.Equal(6 * xiHalf, half.TheoryDepth, 5);
        Assert.Equal(5 / (6 * xiHalf), half.Ratio, 5);
        Assert.True(half.TheoryWithinBracket); // 8.66 in [5, 10]

        TrainabilityColumn more = diagram.Columns[1];
        double xiMore = -1 / Math.Log(0.8); // 4.48 layers → 6ξ_c = 26.9
        Assert.Equal(20, more.MaxTrainableDepth);
        Assert.Equal(40, more.FirstUntrainableDepth);
        Assert.Equal(20 / (6 * xiMore), more.Ratio, 5);
        Assert.True(more.TheoryWithinBracket);
    }

    [Fact]
    public void Build_EveryDepthTrains_BoundaryBeyondGrid_RatioUnknown()
    {
        var diagram = TrainabilityDiagram.Build(Groups(new() { [0.5] = 40 }), threshold: 0.55, chance: 0.1);

        TrainabilityColumn column = diagram.Columns[0];
        Assert.Equal(40, column.MaxTrainableDepth);
        Assert.Null(column.FirstUntrainableDepth);
        Assert.True(double.IsNaN(column.Ratio));
        Assert.False(column.TheoryWithinBracket); // 6ξ_c = 8.7 < 40: the theory says it should have failed.
    }

    [Fact]
    public void Build_LuckyDeepPointAfterAFailure_DoesNotExtendTheRange()
    {
        var trials = new List<TrialRecord>();
        foreach ((int depth, double accuracy) in new[] { (2, 0.9), (5, 0.2), (10, 0.9) })
        {
            trials.Add(SweepFixtures.Done(SweepFixtures.Settings(("activation", "tanh"), ("sigma-w2", 0.5), ("depth", depth)), 1, accuracy));
        }

        var diagram = TrainabilityDiagram.Build(SweepAnalysis.GroupBySeeds(trials), threshold: 0.55, chance: 0.1);

        Assert.Equal(2, diagram.Columns[0].MaxTrainableDepth);
        Assert.Equal(5, diagram.Columns[0].FirstUntrainableDepth);
        Assert.Equal(0, diagram.BiasVariance); // no sigma-b2 setting: zero biases
    }

    [Fact]
    public void Build_ShallowestFails_NoTrainableDepth()
    {
        var diagram = TrainabilityDiagram.Build(Groups(new() { [0.5] = 0 }), threshold: 0.55, chance: 0.1);

        Assert.Null(diagram.Columns[0].MaxTrainableDepth);
        Assert.Equal(2, diagram.Columns[0].FirstUntrainableDepth);
    }

    [Fact]
    public void Build_TanhWithBias_CriticalNear176()
    {
        // Schoenholz et al. (and MeanField's docs): the tanh transition at σ_b² = 0.05 is at σ_w² ≈ 1.76.
        var diagram = TrainabilityDiagram.Build(Groups(new() { [1.5] = 10, [2.5] = 5 }, biasVariance: 0.05), threshold: 0.55, chance: 0.1);

        Assert.Equal(1.76, diagram.CriticalWeightVariance, 1);
        Assert.True(diagram.Columns[0].Chi1 < 1);
        Assert.True(diagram.Columns[1].Chi1 > 1);
    }

    [Fact]
    public void Build_MixedBiasVariances_AsksToHoldOne()
    {
        var groups = Groups(new() { [0.5] = 5 }).Concat(Groups(new() { [0.8] = 5 }, biasVariance: 0.05)).ToList();

        var error = Assert.Throws<ArgumentException>(() => TrainabilityDiagram.Build(groups, threshold: 0.55, chance: 0.1));

        Assert.Contains("sigma-b2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ThresholdNotAboveChance_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainabilityDiagram.Build(Groups(new() { [0.5] = 5 }), threshold: 0.1, chance: 0.1));
    }
}
