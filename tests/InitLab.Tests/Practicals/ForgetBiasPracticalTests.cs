using InitLab.Data;
using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The forget-bias practical (issue 22) over three seeds, and its memory factor worked by hand.</summary>
public class ForgetBiasPracticalTests
{
    [Fact]
    public void Memory_ByHand()
    {
        // σ(0) = ½ over 3T/4 = 37.5 steps: 2^−37.5 = 5.14e-12; σ(1) = 0.7310586: 0.7310586^37.5 = e^(37.5·(−0.3132617)) = e^(−11.747313) = 7.9105e-6 (python3 math.exp).
        Assert.Equal(1, ForgetBiasPractical.Memory(0) / Math.Pow(2, -37.5), 12);
        Assert.Equal(7.9105, ForgetBiasPractical.Memory(1) * 1e6, 4);
    }

    [Fact]
    public void Run_ThreeSeeds_BiasOneLearnsSoonerOnEverySeed()
    {
        var checks = ForgetBiasPractical.Run(seeds: 3, quick: false).ToDictionary(c => c.Variant);
        PaperCheck compare = checks["bias 1 vs 0"];
        Assert.True(compare.Passed, $"steps saved per seed {string.Join(", ", compare.PerSeed)}");
        Assert.All(compare.PerSeed, saved => Assert.True(saved > 0, $"saved {saved}"));
        // Both learn within the budget; the final MSEs are reported.
        Assert.All(checks["bias 1"].PerSeed, m => Assert.True(m <= AddingProblem.ConstantBaselineMse / 4, $"bias 1 MSE {m}"));
        Assert.Equal(3, checks["bias 0"].PerSeed.Count);
    }
}
