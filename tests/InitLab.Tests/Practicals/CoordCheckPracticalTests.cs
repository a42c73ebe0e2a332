using InitLab.Architectures;
using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The coord-check practical (issue 21): per-layer activation change vs width, flat under μP, growing under SP.</summary>
public class CoordCheckPracticalTests
{
    [Fact]
    public void PredictedSlopes_ByHand()
    {
        // SP, Adam: every weight moves by η; the hidden layer sums n moves (slope 1), the logits also get the hidden move
        // through readout weights of size n^(−½) summed over n: 1 − ½ + 1 = 1.5. μP: hidden and output rates η/n → 0.
        Assert.Equal([0, 1, 1.5], CoordCheckPractical.PredictedChangeSlopes(Parametrization.Standard));
        Assert.Equal([0, 0, 0], CoordCheckPractical.PredictedChangeSlopes(Parametrization.MuP));
        // At init: μP's readout variance ∝ 1/n² gives logits of size √n·(1/n) = n^(−½).
        Assert.Equal([0, 0, 0], CoordCheckPractical.PredictedInitSlopes(Parametrization.Standard));
        Assert.Equal([0, 0, -0.5], CoordCheckPractical.PredictedInitSlopes(Parametrization.MuP));
    }

    [Fact]
    public void LogLogSlope_PowerLaw_ItsExponent()
    {
        int[] widths = [64, 128, 256, 512, 1024];
        Assert.Equal(1.5, CoordCheckPractical.LogLogSlope(widths, [.. widths.Select(w => 3 * Math.Pow(w, 1.5))]), 12);
        Assert.Equal(0, CoordCheckPractical.LogLogSlope(widths, [.. widths.Select(_ => 0.25)]), 12);
    }

    /// <summary>Widths 64–1024, 3 seeds. Measured (lr 2⁻¹⁴, batch 32): SP input −0.03, hidden 0.69, logits 1.14; μP −0.03,
    /// −0.05, −0.09; logits at init SP 0.02, μP −0.50.</summary>
    [Fact]
    public void Run_ThreeSeeds_FlatUnderMuPGrowingUnderSp()
    {
        IReadOnlyList<PaperCheck> checks = CoordCheckPractical.Run(seeds: 3, quick: false);
        Assert.Equal(12, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured} ({c.Criterion})"));
        double Slope(string id) => checks.Single(c => c.Variant == id).Measured;
        // SP grows layer by layer, μP is flat, and the two cannot pass for one another.
        Assert.True(Slope("sp/hidden change") > 0.5 && Slope("sp/logits change") > Slope("sp/hidden change"));
        Assert.All(new[] { "mup/input change", "mup/hidden change", "mup/logits change" }, id => Assert.InRange(Slope(id), -0.25, 0.25));
        Assert.All(checks.Single(c => c.Variant == "sp/hidden change").PerSeed, s => Assert.True(s > 0.5, $"SP hidden slope {s}"));
    }
}
