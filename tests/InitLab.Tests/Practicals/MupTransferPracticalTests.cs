using InitLab.Architectures;
using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The mup-transfer practical (issue 21): the best Adam rate moves as 1/width under SP and stays under μP.</summary>
public class MupTransferPracticalTests
{
    [Fact]
    public void PredictedShift_ByHand()
    {
        // SP: best η ∝ 1/width: log2(1024/64) = 4 octaves down, log2(4096/64) = 6 (the 2⁻⁷ → 2⁻¹³); μP: none.
        Assert.Equal(-4, MupTransferPractical.PredictedShift(Parametrization.Standard, 1024), 12);
        Assert.Equal(-6, MupTransferPractical.PredictedShift(Parametrization.Standard, 4096), 12);
        Assert.Equal(0, MupTransferPractical.PredictedShift(Parametrization.MuP, 4096));
    }

    [Fact]
    public void BestExponent_DivergedRunsLoseAndTiesGoToTheSmallerRate()
    {
        double[] losses = [.. MupTransferPractical.RateExponents.Select(_ => double.PositiveInfinity)];
        losses[3] = 0.5;
        losses[5] = 0.5;
        Assert.Equal(MupTransferPractical.RateExponents[3], MupTransferPractical.BestExponent(losses));
    }

    [Fact]
    public void TrainingLoss_BaseWidth_MuPIsSpBitForBit()
    {
        var train = MupTransferPractical.Data();
        double sp = MupTransferPractical.TrainingLoss(MupTransferPractical.Options(Parametrization.Standard, 64), 1.0 / 64, 2, train);
        double mup = MupTransferPractical.TrainingLoss(MupTransferPractical.Options(Parametrization.MuP, 64), 1.0 / 64, 2, train);
        Assert.Equal(sp, mup);
        Assert.True(double.IsFinite(sp));
    }

    /// <summary>Widths 64 and 512 over 3 seeds: SP's best rate moves down log2(8) = 3 octaves (measured: 2⁻⁶ → 2⁻⁹ for
    /// every seed), μP's stays within one grid step (measured 2⁻⁶ at both, every seed).</summary>
    [Fact]
    public void Sweep_ThreeSeeds_SpBestRateFallsWithWidthMuPStays()
    {
        var train = MupTransferPractical.Data();
        int[] widths = [64, 512];
        var sp = widths.Select(w => MupTransferPractical.Sweep(Parametrization.Standard, w, 3, train)).ToList();
        var mup = widths.Select(w => MupTransferPractical.Sweep(Parametrization.MuP, w, 3, train)).ToList();
        var spChecks = MupTransferPractical.Checks(Parametrization.Standard, widths, sp, 0);
        var mupChecks = MupTransferPractical.Checks(Parametrization.MuP, widths, mup, 0);
        Assert.All(spChecks.Concat(mupChecks), c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured} ({c.Criterion})"));
        PaperCheck spShift = spChecks[^1], mupShift = mupChecks[^1];
        Assert.Equal(-3, spShift.Predicted, 12);
        Assert.All(spShift.PerSeed, d => Assert.True(d <= -2, $"SP shift {d}"));
        Assert.All(mupShift.PerSeed, d => Assert.True(Math.Abs(d) <= 1, $"μP shift {d}"));
        // μP at 64 is SP at 64: the same curves.
        Assert.Equal(sp[0], mup[0]);
    }
}
