using InitLab.Diagnostics;
using InitLab.Practicals;

namespace InitLab.Tests.Practicals;

/// <summary>The practicals issue's "done when", over 5 seeds each.</summary>
public class PracticalTests
{
    private static readonly PracticalRunner s_runner = new(new PracticalOptions { Seeds = 5 });

    private static PracticalResult Run(string name, string variant = "") =>
        s_runner.Run(PracticalCatalog.Variants(name).Single(v => v.Variant == variant));

    [Theory]
    [InlineData("zero-relu")]
    [InlineData("zero-tanh")]
    public void ZeroInit_HiddenWeightsBitIdenticalAfterTraining(string name)
    {
        PracticalResult result = Run(name);
        Assert.All(result.Runs, r => Assert.True(r.HiddenWeightsUnchanged, $"seed {r.Seed}: change {r.HiddenWeightChange}"));
    }

    [Theory]
    [InlineData("zero-sigmoid")]
    [InlineData("constant")]
    public void ConstantInit_EveryHiddenLayerHasOneDistinctUnit(string name)
    {
        PracticalResult result = Run(name);
        Assert.All(result.Runs, r =>
        {
            Assert.All(r.DistinctHiddenUnits, d => Assert.Equal(1, d));
            Assert.True(r.HiddenWeightChange > 0, "the weights did move (gradients flow), yet stayed symmetric");
        });
    }

    [Fact]
    public void SmallRandomDeepTanh_FirstLayerGradientBelowAMillionthOfTheLast()
    {
        PracticalResult result = Run("small-random", "tanh");
        Assert.All(result.Runs, r =>
            Assert.True(r.AtInit.Layers[0].GradientNorm < 1e-6 * r.AtInit.Layers[^1].GradientNorm,
                $"seed {r.Seed}: {r.AtInit.Layers[0].GradientNorm} vs {r.AtInit.Layers[^1].GradientNorm}"));
    }

    public static TheoryData<string> CaseNames() => [.. PracticalCatalog.Names];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EveryCase_ObservedVerdictMatchesTheTutorial(string name)
    {
        foreach (PracticalCase variant in PracticalCatalog.Variants(name))
        {
            PracticalResult result = s_runner.Run(variant);
            Assert.True(result.Matches,
                $"{variant.Id}: expected {VerdictClassifier.Name(variant.Expected)}, observed {VerdictClassifier.Name(result.Observed)} " +
                $"({string.Join("; ", result.Runs.Select(r => $"{r.Seed}: {VerdictClassifier.Name(r.Verdict)} — {r.Reason}"))})");
        }
    }

    [Fact]
    public void DepthSweep_ExpectationFollowsTheAnalyticRatio()
    {
        Assert.Equal(Verdict.Healthy, PracticalCatalog.ExpectedForSweep("glorot_uniform", 10));
        Assert.Equal(Verdict.VanishingGradients, PracticalCatalog.ExpectedForSweep("glorot_uniform", 15));
        Assert.Equal(Verdict.Healthy, PracticalCatalog.ExpectedForSweep("he_normal", 30));
    }

    [Fact]
    public void UnknownCase_ListsTheCases()
    {
        var ex = Assert.Throws<InitLab.Common.UnknownNameException>(() => PracticalCatalog.Variants("zero-rleu"));
        Assert.Contains("Did you mean 'zero-relu'?", ex.Message, StringComparison.Ordinal);
        Assert.Contains("glorot-bengio", ex.Message, StringComparison.Ordinal);
    }
}
