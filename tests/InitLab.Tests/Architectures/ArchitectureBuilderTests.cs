using InitLab.Architectures;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Layers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Architectures;

/// <summary>The residual inits do to the blocks what their papers say; expected values are the papers' formulas worked by
/// hand (e.g. Fixup's L^(−1/(2m−2)) for L = 16, m = 3 is 1/2 in standard deviation, 1/4 in variance).</summary>
public sealed class ArchitectureBuilderTests
{
    private static ArchitectureOptions Options(ResidualInit init, Normalization norm = Normalization.None, int blocks = 4, int m = 2) => new()
    {
        InputDim = 8,
        Outputs = 3,
        Width = 16,
        Blocks = blocks,
        BlockLayers = m,
        Normalization = norm,
        ResidualInit = init,
    };

    private static Tensor RandomInput(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)rng.NextNormal();
        }
        return new Tensor(data, rows, cols);
    }

    [Fact]
    public void ResMlp_WithoutNormalization_IsStemBlocksActivationHead_AndEachBranchIsPreActivation()
    {
        Sequential model = ArchitectureBuilder.Build(Options(ResidualInit.None, blocks: 3));
        Assert.Equal(["Dense", "Residual", "Residual", "Residual", "Activation", "Dense"], model.Layers.Select(l => l.KindName));
        var block = (Residual)model.Layers[1];
        Assert.Equal(["Activation", "Dense", "Dense"], block.Branch.Select(l => l.KindName));
        Assert.Equal("relu", ((Dense)block.Branch[1]).Activation.Name);
        Assert.Equal("linear", ((Dense)block.Branch[2]).Activation.Name);
        Assert.Null(block.Projection);
        Assert.False(block.TrainableAlpha);
        Assert.Equal("residual_1/dense_1", block.Branch[1].Name);
        Assert.Equal(1 + 3 * 2 + 1, model.DenseLayers.Count);
    }

    [Fact]
    public void ResMlp_WithBatchNorm_EndsEachBranchWithTheNormalization_AndZeroGammaZeroesOnlyThatGamma()
    {
        Sequential model = ArchitectureBuilder.Build(Options(ResidualInit.ZeroGamma, Normalization.Batch, m: 3));
        var block = (Residual)model.Layers[1];
        Assert.Equal(["Dense", "BatchNormalization", "Activation", "Dense", "BatchNormalization", "Activation", "Dense", "BatchNormalization"],
            block.Branch.Select(l => l.KindName));
        var norms = block.Branch.OfType<BatchNormalization>().ToList();
        Assert.All(norms[..^1], n => Assert.All(n.Gamma.ToArray(), g => Assert.Equal(1f, g)));
        Assert.All(norms[^1].Gamma.ToArray(), g => Assert.Equal(0f, g));
    }

    [Theory]
    [InlineData(ResidualInit.SkipInit, Normalization.None)]
    [InlineData(ResidualInit.ReZero, Normalization.None)]
    [InlineData(ResidualInit.SkipInit, Normalization.Batch)]
    [InlineData(ResidualInit.ZeroGamma, Normalization.Batch)]
    [InlineData(ResidualInit.ZeroGamma, Normalization.Layer)]
    [InlineData(ResidualInit.Fixup, Normalization.None)]
    public void IdentityStartingInits_MakeEveryBlockTheIdentityAtInitialisation(ResidualInit init, Normalization norm)
    {
        Sequential model = ArchitectureBuilder.Build(Options(init, norm), seed: 5);
        model.Forward(RandomInput(32, 8, 9));
        float[] stem = model.Layers[0].Output.ToArray();
        foreach (Residual block in model.Layers.OfType<Residual>())
        {
            Assert.Equal(stem, block.Output.ToArray());
        }
    }

    [Fact]
    public void SkipInitAlpha_IsATrainedParameterStartingAtZero_WhoseGradientIsNotZero()
    {
        Sequential model = ArchitectureBuilder.Build(Options(ResidualInit.SkipInit), seed: 3);
        Assert.All(model.Layers.OfType<Residual>(), b => Assert.Equal(0f, b.Alpha));
        var alphas = model.Parameters.Where(p => p.Name.EndsWith("/alpha", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, alphas.Count);
        var y = new Tensor(Enumerable.Range(0, 32).Select(i => (float)(i % 3)).ToArray(), 32, 1);
        model.Compile(LossRegistry.Resolve("sparse_categorical_crossentropy"), new Sgd());
        model.ComputeGradients(RandomInput(32, 8, 4), y);
        Assert.All(alphas, a => Assert.NotEqual(0f, a.Gradient[0]));
    }

    [Fact]
    public void Fixup_ScalesInnerKernelsByLToTheMinusOneOver2mMinus2_ZeroesLastKernelAndClassifier()
    {
        // L = 16 blocks, m = 3: std factor 16^(−1/4) = 1/2, variance factor 1/4; he_normal's scale 2 becomes 0.5.
        Sequential model = ArchitectureBuilder.Build(Options(ResidualInit.Fixup, blocks: 16, m: 3));
        var block = (Residual)model.Layers[1];
        var dense = block.Branch.OfType<Dense>().ToList();
        Assert.Equal(3, dense.Count);
        Assert.All(dense, d => Assert.False(d.UseBias));
        Assert.All(dense[..^1], d => Assert.Equal(0.5, ((VarianceScaling)d.KernelInitializer).Scale, 12));
        Assert.All(dense[^1].Kernel.ToArray(), w => Assert.Equal(0f, w));
        Assert.All(model.DenseLayers[^1].Kernel.ToArray(), w => Assert.Equal(0f, w));
        Assert.True(block.TrainableAlpha);
        Assert.Equal(1f, block.Alpha);
        Assert.Equal(2 * 3, block.Branch.OfType<ScalarBias>().Count());
    }

    [Fact]
    public void Scaled_DividesTheLastBranchKernelsVarianceBy2L_AndTheSampleAgrees()
    {
        const int blocks = 8;
        Sequential model = ArchitectureBuilder.Build(Options(ResidualInit.Scaled, blocks: blocks) with { Width = 256 }, seed: 11);
        var block = (Residual)model.Layers[1];
        var last = (Dense)block.Branch[^1];
        // he_normal: variance 2/fan_in; ÷ 2L → 2/(2L·fan_in) = 1/(L·256).
        Assert.Equal(2.0 / (2 * blocks), ((VarianceScaling)last.KernelInitializer).Scale, 12);
        double expected = 1.0 / (blocks * 256);
        float[] w = last.Kernel.ToArray();
        double meanSquare = w.Average(v => (double)v * v);
        // The sample mean square of n normals has standard error σ²·√(2/n); 5 standard errors.
        Assert.InRange(meanSquare, expected * (1 - 5 * Math.Sqrt(2.0 / w.Length)), expected * (1 + 5 * Math.Sqrt(2.0 / w.Length)));
    }

    [Fact]
    public void ImpossibleCombinations_NameTheOption()
    {
        Assert.Equal("ResidualInit", Assert.ThrowsAny<ArgumentException>(() => ArchitectureBuilder.Layers(Options(ResidualInit.Fixup, Normalization.Batch))).ParamName);
        Assert.Equal("BlockLayers", Assert.ThrowsAny<ArgumentException>(() => ArchitectureBuilder.Layers(Options(ResidualInit.Fixup, m: 1))).ParamName);
        Assert.Equal("ResidualInit", Assert.ThrowsAny<ArgumentException>(() => ArchitectureBuilder.Layers(Options(ResidualInit.ZeroGamma))).ParamName);
        Assert.Equal("Blocks", Assert.ThrowsAny<ArgumentException>(() => ArchitectureBuilder.Layers(Options(ResidualInit.None, blocks: 0))).ParamName);
        var orthogonal = Options(ResidualInit.Scaled) with { KernelInitializer = "orthogonal" };
        Assert.Contains("variance-scaling", Assert.ThrowsAny<ArgumentException>(() => ArchitectureBuilder.Layers(orthogonal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResidualInitNames_ParseWithNearestMatchOnTypos()
    {
        Assert.Equal(ResidualInit.ZeroGamma, ResidualInits.Parse("zero-gamma"));
        Assert.Equal(ResidualInit.SkipInit, ResidualInits.Parse("SkipInit"));
        var error = Assert.Throws<UnknownNameException>(() => ResidualInits.Parse("fixupp"));
        Assert.Equal("fixup", error.Suggestion);
    }
}
