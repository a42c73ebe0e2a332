using InitLab.Common;
using InitLab.Diagnostics;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Diagnostics;

public class SignalPropagationTests
{
    [Fact]
    public void Expectation_MatchesClosedForms()
    {
        // E[relu(h)²] = q/2, E[h²] = q, E[tanh'(h)²] at q → 0 is 1.
        Assert.Equal(1.5, SignalPropagation.Expectation(h => Math.Pow(Math.Max(h, 0), 2), 3.0), 8);
        Assert.Equal(2.0, SignalPropagation.Expectation(h => h * h, 2.0), 10);
        Assert.Equal(Math.Sqrt(2 / Math.PI), SignalPropagation.Expectation(Math.Abs, 1.0), 8);
    }

    [Fact]
    public void He_Relu_KeepsVariance_Glorot_HalvesItPerLayer()
    {
        Sequential Make(string init) => new(128, Enumerable.Range(0, 6).Select(_ => new Dense(128, "relu", init)));
        var he = SignalPropagation.Predict(Make("he_normal").DenseLayers, 1.0)!;
        var glorot = SignalPropagation.Predict(Make("glorot_uniform").DenseLayers, 1.0)!;
        Assert.All(he, p => Assert.Equal(2.0, p.PreActivationMeanSquare, 6));
        for (int l = 1; l < glorot.Count; l++)
        {
            Assert.Equal(0.5, glorot[l].PreActivationMeanSquare / glorot[l - 1].PreActivationMeanSquare, 6);
            Assert.Equal(1.0, he[l].GradientFactor, 6);
        }
    }

    [Fact]
    public void NonZeroMeanWeights_HaveNoPrediction()
    {
        var model = new Sequential(4, [new Dense(4, "relu", "tutorial_large_random")]);
        Assert.Null(SignalPropagation.Predict(model.DenseLayers, 1.0));
    }

    /// <summary>ReLU, depth 30, width 256, 10 seeds (the practicals issue's signal-propagation criteria).</summary>
    [Fact]
    public void Depth30Width256_HeStaysGlorotVanishes_PredictionInsideTheBand()
    {
        PropagationBands he = PropagationBands.Measure("relu", "he_normal", 30, 256, seeds: 10);
        PropagationBands glorot = PropagationBands.Measure("relu", "glorot_uniform", 30, 256, seeds: 10);
        double heRatio = SampleStatistics.Quantile(he.ActivationStdRatios, 0.5);
        Assert.InRange(heRatio, 0.5, 2.0);
        Assert.True(SampleStatistics.Quantile(glorot.ActivationStdRatios, 0.5) < 1e-3);
        for (int l = 0; l < he.Layers; l++)
        {
            Assert.True(he.Predicted[l] >= he.P10[l] && he.Predicted[l] <= he.P90[l],
                $"layer {l + 1}: predicted {he.Predicted[l]} outside [{he.P10[l]}, {he.P90[l]}]");
        }
    }
}
