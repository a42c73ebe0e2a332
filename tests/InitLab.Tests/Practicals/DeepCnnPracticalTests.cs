using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The deep-cnn practical (issue 22) against per-layer factors worked out by hand.</summary>
public class DeepCnnPracticalTests
{
    [Fact]
    public void KernelVariance_ByHand()
    {
        // 3×3 kernels, Keras fans kh·kw·C: He 2/(9·16) = 1/72; Glorot 2/(144 + 144) = 1/144 (half of He's) for 16 → 16,
        // and 2/(9 + 144) = 2/153 for the first layer 1 → 16.
        Assert.Equal(1.0 / 72, DeepCnnPractical.KernelVariance("he_normal", 16, 16), 15);
        Assert.Equal(1.0 / 144, DeepCnnPractical.KernelVariance("glorot_uniform", 16, 16), 15);
        Assert.Equal(2.0 / 153, DeepCnnPractical.KernelVariance("glorot_uniform", 1, 16), 15);
    }

    [Fact]
    public void PredictedMeanSquares_UniformInput_InteriorFactorsAndTheBorderLeak()
    {
        // An input of mean square 1 at every pixel. Layer 1 (1 → 16) at the centre pixel: He E[z²] = (2/9)·9 = 2,
        // Glorot (2/153)·9 = 18/153; delta-orthogonal ‖z_p‖² = 2·1 spread over 16 filters: 2/16.
        double[] ones = [.. Enumerable.Repeat(1.0, 64)];
        // Mean over the 64 pixels of the in-image 3×3 window count: 36 interior pixels see 9, 24 edge pixels 6, 4 corners 4:
        // (36·9 + 24·6 + 4·4)/64 = 484/64 = 7.5625.
        Assert.Equal(2.0 / 9 * 7.5625, DeepCnnPractical.PredictedMeanSquares("he_normal", 1, ones)[0], 12);
        Assert.Equal(2.0 / 153 * 7.5625, DeepCnnPractical.PredictedMeanSquares("glorot_uniform", 1, ones)[0], 12);
        Assert.Equal(2.0 / 16, DeepCnnPractical.PredictedMeanSquares("delta_orthogonal", 1, ones)[0], 12);
        // Delta-orthogonal keeps every pixel's sum of squares: every later layer 2/16 too.
        Assert.All(DeepCnnPractical.PredictedMeanSquares("delta_orthogonal", 30, ones), q => Assert.Equal(0.125, q, 12));
        // He: A/9 per layer, whose top eigenvalue on 8×8 is ((1 + 2cos(π/9))²/9); Glorot A/18, half of it.
        double top = Math.Pow(1 + 2 * Math.Cos(Math.PI / 9), 2) / 9; // 0.92098
        double[] he = DeepCnnPractical.PredictedMeanSquares("he_normal", 60, ones);
        double[] glorot = DeepCnnPractical.PredictedMeanSquares("glorot_uniform", 60, ones);
        Assert.Equal(top, he[^1] / he[^2], 6);
        Assert.Equal(top / 2, glorot[^1] / glorot[^2], 6);
        // After the first layer Glorot's map is He's times ½ (σ² 1/144 vs 1/72): the per-layer ratios differ by exactly ½.
        Assert.Equal(0.5, (glorot[5] / glorot[4]) / (he[5] / he[4]), 12);
    }

    [Theory]
    [InlineData("he_normal", 10)]
    [InlineData("he_normal", 30)]
    [InlineData("glorot_uniform", 30)]
    [InlineData("delta_orthogonal", 30)]
    public void Signal_ThreeSeeds_OneStepExpectationsHold(string init, int depth)
    {
        var (_, probe) = DeepCnnPractical.Data();
        PaperCheck check = DeepCnnPractical.Signal(init, depth, seeds: 3, probe);
        Assert.True(check.Passed, $"{check.Id}: predicted {check.Predicted}, measured {check.Measured} ({check.Criterion})");
        Assert.Equal(3, check.PerSeed.Count);
        Assert.Equal(depth, check.MeasuredTrajectory.Count);
        if (init == "glorot_uniform")
        {
            // Every seed's last-layer std is at least 10³ below its first layer's: the vanishing signal.
            Assert.All(check.PerSeed, s => Assert.True(s < check.MeasuredTrajectory[0] * 1e-3, $"σ_30 {s}"));
        }
    }

    [Fact]
    public void Training_DepthThirty_ThreeSeeds_HeAndDeltaTrainGlorotStalls()
    {
        var (train, _) = DeepCnnPractical.Data();
        var checks = DeepCnnPractical.Training(30, seeds: 3, train);
        Assert.Equal(DeepCnnPractical.Inits, checks.Select(c => c.Variant.Split('@')[0]));
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: {string.Join(", ", c.PerSeed)} ({c.Criterion})"));
        Assert.All(checks.Single(c => c.Variant.StartsWith("glorot", StringComparison.Ordinal)).PerSeed,
            loss => Assert.True(loss >= 0.98 * Math.Log(10), $"glorot: {loss}"));
        Assert.All(checks.Where(c => !c.Variant.StartsWith("glorot", StringComparison.Ordinal)).SelectMany(c => c.PerSeed),
            loss => Assert.True(loss <= Math.Log(10) / 2, $"loss {loss}"));
    }

    [Fact]
    public void Training_DepthTen_ThreeSeeds_EveryInitTrains()
    {
        var (train, _) = DeepCnnPractical.Data();
        Assert.All(DeepCnnPractical.Training(10, seeds: 3, train), c => Assert.True(c.Passed, $"{c.Id}: {string.Join(", ", c.PerSeed)}"));
    }

    [Fact]
    public void Layers_UnknownInit_NamesTheValidOnes()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => DeepCnnPractical.Layers("he_norml", 10));
        Assert.Contains("he_normal", error.Message, StringComparison.Ordinal);
        Assert.Equal("init", error.ParamName);
    }
}
