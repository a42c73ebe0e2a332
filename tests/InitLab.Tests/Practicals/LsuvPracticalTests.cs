using InitLab.Practicals.Papers;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Practicals;

/// <summary>The LSUV practical (Mishkin &amp; Matas 2016) against numbers worked out independently of the code.</summary>
public class LsuvPracticalTests
{
    // g = 1/√E[φ(z)²], z ~ N(0, 1): the scale that takes a layer fed by unit-variance pre-activations through an orthonormal
    // kernel (‖Wa‖ = ‖a‖) back to unit variance. Worked here by 96-point Gauss–Hermite, not by the library's quadrature.
    private static double GaussHermiteGain(Func<double, double> phi) => 1 / Math.Sqrt(GaussHermite.Expectation(z => phi(z) * phi(z)));

    [Fact]
    public void GaussHermite_Moments_AreExact()
    {
        Assert.Equal(1, GaussHermite.Expectation(z => z * z), 12);
        Assert.Equal(3, GaussHermite.Expectation(z => z * z * z * z), 11);
        Assert.Equal(Math.Exp(0.5), GaussHermite.Expectation(Math.Exp), 12); // E[e^z] = e^(1/2)
    }

    [Fact]
    public void PredictedGain_Relu_IsSqrt2()
    {
        // E[relu(z)²] = ½E[z²] = ½ by symmetry, so g = √2 (He et al.'s gain).
        Assert.Equal(Math.Sqrt(2), LsuvPractical.PredictedGain("relu"), 6);
        Assert.Equal(Math.Sqrt(2), GaussHermiteGain(z => Math.Max(z, 0)), 12);
    }

    [Fact]
    public void PredictedGain_Tanh_Is1Point5925_ByGaussHermite()
    {
        double expected = GaussHermiteGain(Math.Tanh); // E[tanh(z)²] = 0.394294…, g = 1.592537…
        Assert.Equal(1.5925, expected, 4);
        Assert.Equal(expected, LsuvPractical.PredictedGain("tanh"), 7);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    public void Calibration_TwoSeeds_GainWithinFourStandardErrorsOfTheFormula(string activation)
    {
        var checks = LsuvPractical.Calibration(activation, seeds: 2, LsuvPractical.TrainingData().Features);
        PaperCheck gain = checks.Single(c => c.Variant == $"{activation} gain");
        double expected = activation == "relu" ? Math.Sqrt(2) : GaussHermiteGain(Math.Tanh);
        // The samples are the per-layer gains of hidden layers 2..L of every net: their SE, worked here.
        double[] gains = [.. gain.Samples];
        double mean = gains.Average();
        double se = Math.Sqrt(gains.Sum(g => (g - mean) * (g - mean)) / (gains.Length - 1) / gains.Length);
        Assert.Equal(2 * LsuvPractical.NetsPerSeed * (LsuvPractical.Depth - 1), gains.Length);
        Assert.InRange(mean, expected - 4 * se, expected + 4 * se);
        Assert.True(gain.Passed);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    public void Calibration_AfterLsuv_EveryLayerHasUnitVarianceWithinTolerance(string activation)
    {
        var checks = LsuvPractical.Calibration(activation, seeds: 1, LsuvPractical.TrainingData().Features);
        PaperCheck after = checks.Single(c => c.Variant == $"{activation} after");
        Assert.All(after.MeasuredTrajectory, v => Assert.InRange(v, 0.9, 1.1));
        Assert.True(after.Passed);
    }

    [Fact]
    public void Calibration_ReluBefore_OrthonormalStackHalvesTheVariancePerLayer()
    {
        // E[relu(z)²] = E[z²]/2 and an orthonormal kernel keeps the mean square: Var(z_(l+1)) ≈ Var(z_l)/2, so over 11
        // steps the variance falls by 2¹¹ = 2048; the finite-width spread of a 12-layer, 64-wide stack allows a factor 2.
        var checks = LsuvPractical.Calibration("relu", seeds: 2, LsuvPractical.TrainingData().Features);
        PaperCheck before = checks.Single(c => c.Variant == "relu before");
        Assert.Equal(0.5, before.Predicted, 9);
        double fall = before.MeasuredTrajectory[0] / before.MeasuredTrajectory[^1];
        Assert.InRange(fall, 2048 / 2.0, 2048 * 2.0);
        Assert.True(before.Passed);
    }

    [Fact]
    public void Training_Relu_LsuvBeatsUnscaledOrthogonal()
    {
        // An orthonormal (gain 1) 12-layer ReLU stack passes 2⁻¹¹ of the variance to its last layer; LSUV restores unit
        // variance, so its loss after 4 epochs is far below orthogonal's (more than 4 SE of the difference).
        var checks = LsuvPractical.Training("relu", seeds: 1, epochs: 4, LsuvPractical.TrainingData());
        PaperCheck orthogonal = checks.Single(c => c.Variant == "relu training vs orthogonal");
        Assert.True(orthogonal.Measured < orthogonal.Predicted, $"LSUV {orthogonal.Measured}, orthogonal {orthogonal.Predicted}");
        Assert.True(orthogonal.Passed);
    }

    [Fact]
    public void Run_Quick_TenChecks_CalibrationClaimsHold_AndDeterministic()
    {
        var first = LsuvPractical.Run(seeds: 1, quick: true);
        var second = LsuvPractical.Run(seeds: 1, quick: true);
        Assert.Equal(10, first.Count);
        Assert.All(first.Where(c => !c.Variant.Contains("training", StringComparison.Ordinal)), c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}"));
        Assert.Equal(first.Select(c => c.Measured), second.Select(c => c.Measured));
        Assert.All(first, c => Assert.Contains("Mishkin", c.Paper, StringComparison.Ordinal));
    }
}
