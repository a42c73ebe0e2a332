using InitLab.Sweeps.Definition;

namespace InitLab.Sweeps.Tests.Definition;

public sealed class SweepPresetsTests
{
    [Fact]
    public void DepthVsInit_TwoActivationsFiveInitializersSixDepthsThreeSeeds()
    {
        SweepDefinition definition = SweepPresets.Definition("depth-vs-init");

        Assert.Equal(2 * 5 * 6 * 3, definition.TrialCount);
        Assert.Equal(["relu", "tanh"], definition.Axes.Single(a => a.Name == "activation").Values);
        // Glorot & Bengio's "standard" U[-1/sqrt(n), 1/sqrt(n)] is the catalog's torch_linear_default.
        Assert.Contains("torch_linear_default", definition.Axes.Single(a => a.Name == "init").Values);
        Assert.Equal("50", definition.Axes.Single(a => a.Name == "depth").Values[^1]);
    }

    [Fact]
    public void PhaseDiagram_TanhSigmaB2PointZeroFiveAroundTheCriticalSigmaW2()
    {
        SweepDefinition definition = SweepPresets.Definition("phase-diagram");
        double[] sigmaW2 = [.. definition.Axes.Single(a => a.Name == "sigma-w2").Values.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];

        Assert.Equal(9 * 8 * 2, definition.TrialCount);
        Assert.Equal("tanh", definition.Fixed["activation"]);
        Assert.Equal("0.05", definition.Fixed["sigma-b2"]);
        // Schoenholz et al. 2017: for tanh with σ_b² = 0.05 the order-to-chaos transition is at σ_w² ≈ 1.76; the grid spans both sides.
        Assert.True(sigmaW2.Min() < 1.76 && sigmaW2.Max() > 1.76);
        Assert.Equal("60", definition.Axes.Single(a => a.Name == "depth").Values[^1]);
    }

    [Fact]
    public void Settings_UnknownPreset_SuggestsNearest()
    {
        var error = Assert.Throws<Common.UnknownNameException>(() => SweepPresets.Settings("depth-vs-inits"));

        Assert.Contains("Did you mean 'depth-vs-init'?", error.Message, StringComparison.Ordinal);
    }
}
