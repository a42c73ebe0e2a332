using InitLab.Activations;
using InitLab.Theory;

namespace InitLab.Tests.Theory;

/// <summary>The residual variance recursion q_{l+1} = q_l·(1 + α²·q_F/q_l) against closed forms worked by hand:
/// ReLU halves a symmetric pre-activation's mean square, a linear layer multiplies it by σ_w².</summary>
public class ResidualVarianceTests
{
    private static readonly Activation Relu = ActivationRegistry.Resolve("relu");
    private static readonly Activation Linear = ActivationRegistry.Resolve("linear");

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.37)]
    [InlineData(250.0)]
    public void DenseBranch_HeReluThenHeLinear_IsTwiceTheInput_SoEachBlockTriples(double q)
    {
        // q₁ = 2q, E[relu(h)²] = q₁/2 = q, q_F = 2·q: the block adds twice its input, ×3.
        double branch = ResidualVariance.DenseBranchMeanSquare(q, [new BranchLayer(Relu, 2), new BranchLayer(Linear, 2)]);
        Assert.Equal(2 * q, branch, 1e-10 * q);
        Assert.Equal(3, ResidualVariance.BlockFactor(q, q, branch, alpha: 1), 1e-10);
    }

    [Fact]
    public void DenseBranch_LastLayerSigmaOne_DoublesPerBlock_AlphaZeroKeeps()
    {
        double branch = ResidualVariance.DenseBranchMeanSquare(1.3, [new BranchLayer(Relu, 2), new BranchLayer(Linear, 1)]);
        Assert.Equal(2, ResidualVariance.BlockFactor(1.3, 1.3, branch, alpha: 1), 1e-10);
        Assert.Equal(1, ResidualVariance.BlockFactor(1.3, 1.3, branch, alpha: 0));
        // α enters squared: α = 0.5 adds a quarter of the branch.
        Assert.Equal(1.25, ResidualVariance.BlockFactor(1.3, 1.3, branch, alpha: 0.5), 1e-10);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public void Propagate_ScaledLastLayer_GrowsByOnePlusOneOverLPerBlock(int blocks)
    {
        // GPT-2's "scaled": the branch's last layer variance / (2L): q_F = 2q/(2L) = q/L, so ∏ = (1 + 1/L)^L → e.
        var branch = new[] { new BranchLayer(Relu, 2), new BranchLayer(Linear, 2.0 / (2 * blocks)) };
        var q = ResidualVariance.Propagate(1, blocks, x => ResidualVariance.DenseBranchMeanSquare(x, branch), alpha: 1);
        Assert.Equal(Math.Pow(1 + 1.0 / blocks, blocks), q[^1], 1e-9);
        var plain = ResidualVariance.Propagate(1, blocks, x => ResidualVariance.DenseBranchMeanSquare(x, [new BranchLayer(Relu, 2), new BranchLayer(Linear, 2)]), alpha: 1);
        Assert.Equal(Math.Pow(3, blocks), plain[^1], Math.Pow(3, blocks) * 1e-9);
    }

    [Fact]
    public void Propagate_BranchEndingInNormalization_GrowsLinearly()
    {
        // q_F = γ²·v/(v+ε) with v ≫ ε: each block adds ≈ γ², whatever q_l: q_L ≈ q_0 + L·γ².
        const double gamma = 0.5, epsilon = 1e-3;
        var q = ResidualVariance.Propagate(1, 40, x => ResidualVariance.NormalizedMeanSquare(gamma * gamma, 0, 2 * x, epsilon), alpha: 1);
        double expected = 1;
        for (int l = 0; l < 40; l++)
        {
            expected += gamma * gamma * (2 * expected) / (2 * expected + epsilon);
        }
        Assert.Equal(expected, q[^1], 1e-12);
        Assert.InRange(q[^1], 1 + 40 * gamma * gamma * 0.999, 1 + 40 * gamma * gamma);
    }

    [Fact]
    public void NormalizedMeanSquare_IsGammaSquaredTimesVOverVPlusEpsilonPlusBetaSquared()
    {
        Assert.Equal(1 / 1.001, ResidualVariance.NormalizedMeanSquare(1, 0, 1, 1e-3), 1e-15);
        Assert.Equal(4 * 0.5 + 0.09, ResidualVariance.NormalizedMeanSquare(4, 0.09, 1e-3, 1e-3), 1e-15);
        Assert.Equal(0.09, ResidualVariance.NormalizedMeanSquare(4, 0.09, 0, 0));
    }

    [Fact]
    public void BlockFactor_NonPositiveInput_NamesTheArgument()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ResidualVariance.BlockFactor(0, 0, 1, 1));
        Assert.Equal("inputMeanSquare", e.ParamName);
    }
}
