using InitLab.Data;
using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The irnn practical (issue 22) over three seeds: the IRNN learns the adding problem at T = 50; with Adam the
/// glorot_uniform ReLU net learns too, so the issue's "does not learn" is reported as not reproduced.</summary>
public class IrnnPracticalTests
{
    [Fact]
    public void Run_ThreeSeeds_IrnnLearnsAndGlorotReluAlsoLearnsWithAdam()
    {
        var checks = IrnnPractical.Run(seeds: 3, quick: false).ToDictionary(c => c.Variant);
        double quarter = AddingProblem.ConstantBaselineMse / 4;
        PaperCheck irnn = checks["identity-relu"];
        Assert.True(irnn.Passed, $"IRNN MSE per seed {string.Join(", ", irnn.PerSeed)}");
        Assert.Equal(3, irnn.PerSeed.Count);
        Assert.All(irnn.PerSeed, m => Assert.True(m <= quarter, $"IRNN MSE {m}"));
        // Measured, not the paper's claim: with Adam the Glorot ReLU net learns (MSE 1e-4 – 1e-3 over seeds 1–3).
        PaperCheck glorot = checks["glorot-relu"];
        Assert.False(glorot.Passed);
        Assert.All(glorot.PerSeed, m => Assert.True(m <= quarter, $"glorot-relu MSE {m}"));
        Assert.True(checks["orthogonal-tanh"].Passed);
        Assert.All(checks.Values, c => Assert.Equal(IrnnPractical.Steps / AddingProblemTraining.Window, c.MeasuredTrajectory.Count));
    }
}
