using InitLab.Architectures;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;
using Shape = InitLab.Architectures.Architecture;

namespace InitLab.Tests.Architectures;

/// <summary>
/// The parametrizations do what Tensor Programs V's Table 3 (μP) and the NTK parametrization's SP-equivalent form say,
/// relative to the base width (m = width / base width). Expected multipliers are the table worked by hand for m = 1, 2, 4;
/// expected init scales are the fan arithmetic worked by hand in each test's comment.
/// </summary>
public sealed class ParametrizationTests
{
    private const int Base = 16;

    private static ArchitectureOptions Options(Parametrization p, int width, Shape arch = Shape.ResMlp,
        Normalization norm = Normalization.None, ResidualInit init = ResidualInit.None, int baseWidth = Base) => new()
    {
        InputDim = 8,
        Outputs = 4,
        Architecture = arch,
        Width = width,
        Depth = 2,
        Blocks = 2,
        Normalization = norm,
        ResidualInit = init,
        Parametrization = p,
        BaseWidth = baseWidth,
    };

    // Table 3 relative to the base width, by hand: (parametrization, role, family, m = 1 / 2 / 4 → multiplier).
    [Theory]
    [InlineData(Parametrization.MuP, WidthRole.InputWeights, OptimizerFamily.Sgd, 1, 2, 4)]
    [InlineData(Parametrization.MuP, WidthRole.HiddenWeights, OptimizerFamily.Sgd, 1, 1, 1)]
    [InlineData(Parametrization.MuP, WidthRole.OutputWeights, OptimizerFamily.Sgd, 1, 0.5, 0.25)]
    [InlineData(Parametrization.MuP, WidthRole.WidthVector, OptimizerFamily.Sgd, 1, 2, 4)]
    [InlineData(Parametrization.MuP, WidthRole.Fixed, OptimizerFamily.Sgd, 1, 1, 1)]
    [InlineData(Parametrization.MuP, WidthRole.InputWeights, OptimizerFamily.Adaptive, 1, 1, 1)]
    [InlineData(Parametrization.MuP, WidthRole.HiddenWeights, OptimizerFamily.Adaptive, 1, 0.5, 0.25)]
    [InlineData(Parametrization.MuP, WidthRole.OutputWeights, OptimizerFamily.Adaptive, 1, 0.5, 0.25)]
    [InlineData(Parametrization.MuP, WidthRole.WidthVector, OptimizerFamily.Adaptive, 1, 1, 1)]
    [InlineData(Parametrization.MuP, WidthRole.Fixed, OptimizerFamily.Adaptive, 1, 1, 1)]
    [InlineData(Parametrization.Ntk, WidthRole.InputWeights, OptimizerFamily.Sgd, 1, 1, 1)]
    [InlineData(Parametrization.Ntk, WidthRole.HiddenWeights, OptimizerFamily.Sgd, 1, 0.5, 0.25)]
    [InlineData(Parametrization.Ntk, WidthRole.OutputWeights, OptimizerFamily.Sgd, 1, 0.5, 0.25)]
    [InlineData(Parametrization.Ntk, WidthRole.WidthVector, OptimizerFamily.Sgd, 1, 1, 1)]
    [InlineData(Parametrization.Ntk, WidthRole.HiddenWeights, OptimizerFamily.Adaptive, 1, 0.70710678118654752, 0.5)]
    [InlineData(Parametrization.Ntk, WidthRole.OutputWeights, OptimizerFamily.Adaptive, 1, 0.70710678118654752, 0.5)]
    [InlineData(Parametrization.Ntk, WidthRole.WidthVector, OptimizerFamily.Adaptive, 1, 1, 1)]
    [InlineData(Parametrization.Standard, WidthRole.InputWeights, OptimizerFamily.Sgd, 1, 1, 1)]
    [InlineData(Parametrization.Standard, WidthRole.HiddenWeights, OptimizerFamily.Adaptive, 1, 1, 1)]
    [InlineData(Parametrization.Standard, WidthRole.OutputWeights, OptimizerFamily.Adaptive, 1, 1, 1)]
    public void LearningRateScale_WidthsB2B4B_IsTheTable(Parametrization p, WidthRole role, OptimizerFamily family, double atB, double at2B, double at4B)
    {
        Assert.Equal(atB, Parametrizations.LearningRateScale(p, role, family, 1));
        Assert.Equal(at2B, Parametrizations.LearningRateScale(p, role, family, 2), 15);
        Assert.Equal(at4B, Parametrizations.LearningRateScale(p, role, family, 4), 15);
    }

    /// <summary>A μP residual MLP with LayerNorm and SkipInit at 4× the base width: every parameter gets its row.</summary>
    [Theory]
    [InlineData("adam", 1, 0.25, 1, 0.25)]
    [InlineData("momentum", 4, 1, 4, 0.25)]
    public void ApplyLearningRates_MuPResMlpAt4B_EveryParameterGetsItsRow(string optimizer, double input, double hidden, double vector, double output)
    {
        ArchitectureOptions o = Options(Parametrization.MuP, 4 * Base, norm: Normalization.Layer, init: ResidualInit.SkipInit);
        Sequential model = ArchitectureBuilder.Build(o);
        Parametrizations.ApplyLearningRates(model, o, optimizer);
        Dense stem = model.DenseLayers[0], head = model.DenseLayers[^1];
        Assert.Equal(input, Scale(stem, "kernel"));
        Assert.Equal(vector, Scale(stem, "bias"));
        Assert.Equal(output, Scale(head, "kernel"));
        Assert.Equal(1, Scale(head, "bias"));
        foreach (Dense d in model.DenseLayers.Skip(1).SkipLast(1))
        {
            Assert.Equal(hidden, Scale(d, "kernel"));
            Assert.Equal(vector, Scale(d, "bias"));
        }
        var norms = model.AllLayers.OfType<LayerNormalization>().ToList();
        Assert.Equal(4, norms.Count);
        Assert.All(norms.SelectMany(n => n.OwnParameters), p => Assert.Equal(vector, p.LearningRateScale));
        var alphas = model.AllLayers.OfType<Residual>().SelectMany(r => r.OwnParameters).ToList();
        Assert.Equal(2, alphas.Count);
        Assert.All(alphas, p => Assert.Equal(1, p.LearningRateScale));
    }

    private static double Scale(Dense d, string which) => d.OwnParameters.Single(p => p.Name.EndsWith(which, StringComparison.Ordinal)).LearningRateScale;

    /// <summary>Init under μP at W = 64, B = 16, 8 features, 4 classes. He (fan_in) hidden and input layers keep their
    /// initializer (variance 2/fan_in already is the table's 1/fan_in). The glorot_uniform output, variance 2/(fan_in +
    /// fan_out), must become var(base)·(B/W)²: base 2/(16 + 4) = 1/10, × 1/16 = 1/160; at W it draws 2/(64 + 4) = 1/34; scale
    /// 34/160 = 0.2125. NTK: 1/10 × 1/4 = 1/40 → 34/40 = 0.85.</summary>
    [Theory]
    [InlineData(Parametrization.MuP, 0.2125)]
    [InlineData(Parametrization.Ntk, 0.85)]
    public void Build_At4B_HeLayersUnchanged_GlorotOutputScaledByHand(Parametrization p, double outputScale)
    {
        Sequential model = ArchitectureBuilder.Build(Options(p, 4 * Base));
        foreach (Dense d in model.DenseLayers.SkipLast(1))
        {
            Assert.Equal("he_normal", d.KernelInitializer.Name);
        }
        var head = Assert.IsType<VarianceScaling>(model.DenseLayers[^1].KernelInitializer);
        Assert.Equal(outputScale, head.Scale, 12);
        Assert.Equal(FanMode.FanAvg, head.Mode);
        Assert.Equal(Distribution.Uniform, head.Distribution);
    }

    /// <summary>A fan_avg input layer: glorot's 2/(8 + W) must become width-independent, 2/(8 + 16) = 1/12; at W = 64 it
    /// draws 2/72 = 1/36, so the scale is 36/12 = 3. Its hidden layers (fan_avg of W × W is W) are already 1/fan_in.</summary>
    [Fact]
    public void Build_MuPGlorotKernels_InputLayerScaledToItsBaseVariance_HiddenUnchanged()
    {
        ArchitectureOptions o = Options(Parametrization.MuP, 4 * Base, Shape.Mlp) with { KernelInitializer = "glorot_uniform" };
        Sequential model = ArchitectureBuilder.Build(o);
        Assert.Equal(3, Assert.IsType<VarianceScaling>(model.DenseLayers[0].KernelInitializer).Scale, 12);
        Assert.Equal("glorot_uniform", model.DenseLayers[1].KernelInitializer.Name);
    }

    /// <summary>The drawn output weights have the variance of the table: W = 256, B = 64, 10 classes, glorot_uniform;
    /// target (2/74)·(1/16) = 1/592. The sample variance of n = 2560 uniform draws has standard error σ²·√(0.8/n) (fourth
    /// moment of a uniform 9/5·σ⁴): 1.8 %, so 4 standard errors is 7 %.</summary>
    [Fact]
    public void Build_MuPOutputAt4B_SampleVarianceIsOneOverFanInSquaredTimesBase()
    {
        ArchitectureOptions o = Options(Parametrization.MuP, 256, baseWidth: 64) with { Outputs = 10 };
        Sequential model = ArchitectureBuilder.Build(o, seed: 11);
        float[] w = model.DenseLayers[^1].Kernel.ToArray();
        double mean = w.Average(x => (double)x), variance = w.Sum(x => (x - mean) * (x - mean)) / w.Length;
        double target = 1.0 / 592, standardError = target * Math.Sqrt(0.8 / w.Length);
        Assert.InRange(variance, target - 4 * standardError, target + 4 * standardError);
    }

    [Fact]
    public void Build_OutputZeroInit_KernelAndBiasAreZero()
    {
        ArchitectureOptions o = Options(Parametrization.MuP, 4 * Base) with { OutputZeroInit = true, BiasInitializer = "ones" };
        Sequential model = ArchitectureBuilder.Build(o);
        Assert.All(model.DenseLayers[^1].Kernel.ToArray(), w => Assert.Equal(0f, w));
        Assert.All(model.DenseLayers[^1].Bias.ToArray(), b => Assert.Equal(0f, b));
        Assert.All(model.DenseLayers[0].Bias.ToArray(), b => Assert.Equal(1f, b));
    }

    [Fact]
    public void Build_MuPWithOrthogonalKernelAwayFromBase_ErrorNamesTheInitializerOption()
    {
        ArchitectureOptions o = Options(Parametrization.MuP, 4 * Base) with { KernelInitializer = "orthogonal" };
        var e = Assert.ThrowsAny<ArgumentException>(() => ArchitectureBuilder.Build(o));
        Assert.Equal("KernelInitializer", e.ParamName);
        Assert.Contains("orthogonal", e.Message, StringComparison.Ordinal);
        ArchitectureBuilder.Build(o with { Width = Base });
    }

    [Fact]
    public void Build_NegativeBaseWidth_ErrorNamesBaseWidth()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ArchitectureBuilder.Build(Options(Parametrization.MuP, 32, baseWidth: -1)));
        Assert.Equal("BaseWidth", e.ParamName);
    }

    /// <summary>At the base width (and with base width 0) every parametrization is SP to the bit: the same weights, and
    /// three training steps with the same results, for SGD and Adam, a plain and a normalized residual net.</summary>
    [Theory]
    [InlineData(Parametrization.MuP, "adam", Shape.ResMlp, Normalization.Layer, 32)]
    [InlineData(Parametrization.MuP, "sgd", Shape.Mlp, Normalization.None, 32)]
    [InlineData(Parametrization.Ntk, "adam", Shape.Mlp, Normalization.None, 32)]
    [InlineData(Parametrization.Ntk, "momentum", Shape.ResMlp, Normalization.Batch, 32)]
    [InlineData(Parametrization.MuP, "adam", Shape.ResMlp, Normalization.None, 0)]
    public void Train_AtBaseWidth_BitIdenticalToStandard(Parametrization p, string optimizer, Shape arch, Normalization norm, int baseWidth)
    {
        ArchitectureOptions sp = Options(Parametrization.Standard, 32, arch, norm, baseWidth: 0);
        ArchitectureOptions other = Options(p, 32, arch, norm, baseWidth: baseWidth);
        float[][] expected = Train(sp, optimizer, 3), actual = Train(other, optimizer, 3);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    private static float[][] Train(ArchitectureOptions o, string optimizer, int steps)
    {
        Sequential model = ArchitectureBuilder.Build(o, seed: 3);
        model.Threads = 1;
        model.Compile(LossRegistry.Resolve("sparse_categorical_crossentropy"), OptimizerRegistry.Resolve(optimizer, 0.01));
        Parametrizations.ApplyLearningRates(model, o, model.Optimizer!);
        (Tensor x, Tensor y) = Batch(o.InputDim, o.Outputs, 32, seed: 4);
        for (int s = 0; s < steps; s++)
        {
            model.TrainBatch(x, y);
        }
        return [.. model.Parameters.Select(q => (float[])q.Value.Clone())];
    }

    private static (Tensor X, Tensor Y) Batch(int features, int classes, int rows, ulong seed)
    {
        var rng = new Rng(seed);
        float[] x = [.. Enumerable.Range(0, rows * features).Select(_ => (float)rng.NextNormal())];
        float[] y = [.. Enumerable.Range(0, rows).Select(i => (float)(i % classes))];
        return (new Tensor(x, rows, features), new Tensor(y, rows, 1));
    }

    /// <summary>
    /// The coordinate check of Tensor Programs V (Fig. 5, mup's <c>get_coord_data</c>): after 3 Adam steps, how far has the
    /// last hidden layer's activation moved, per coordinate, as the width grows 64 → 1024? Adam moves every hidden weight by
    /// about lr, so Δh = ΔW·h sums W terms: the coherent part (ΔW aligned with h) grows ∝ W under SP (log-log slope 1) and
    /// is cancelled by μP's hidden rate lr/m (slope 0); the incoherent part adds slope 1/2 under SP and −1/2 under μP, so at
    /// finite width SP's slope lies in (1/2, 1] and μP's in [−1/2, 0], tending to 1 and 0. The test asserts the 3-seed mean
    /// within 0.25 of each limit — a quarter of the gap, so neither can pass for the other. Measured (seeds 1–5): SP 0.80–0.92,
    /// mean of seeds 1–3 0.854 (seed-to-seed SD 0.047, so 0.10 above the bound is 3.7 standard errors of the mean); μP −0.08
    /// to 0.02, mean −0.027.
    /// </summary>
    [Fact]
    public void CoordCheck_Adam_HiddenActivationMoveFlatUnderMuPAndGrowingUnderSP()
    {
        ulong[] seeds = [1, 2, 3];
        double sp = seeds.Average(s => CoordinateSlope(Parametrization.Standard, s));
        double mup = seeds.Average(s => CoordinateSlope(Parametrization.MuP, s));
        Assert.InRange(sp, 0.75, 1.25);
        Assert.InRange(mup, -0.25, 0.25);
    }

    /// <summary>log(RMS Δh at 1024 / RMS Δh at 64) / log(1024/64): the log-log slope of the last hidden layer's
    /// coordinate-wise move after <paramref name="steps"/> Adam steps (lr <paramref name="lr"/>, <paramref name="rows"/> rows,
    /// base width 64, 16 features, 4 classes), measured on the training batch.</summary>
    internal static double CoordinateSlope(Parametrization p, ulong seed, int rows = 4, int steps = 3, double lr = 1e-4)
    {
        double Move(int width)
        {
            ArchitectureOptions o = new()
            {
                InputDim = 16,
                Outputs = 4,
                Architecture = Shape.Mlp,
                Depth = 2,
                Width = width,
                BaseWidth = 64,
                Parametrization = p,
            };
            Sequential model = ArchitectureBuilder.Build(o, seed);
            model.Threads = 1;
            model.Compile(LossRegistry.Resolve("sparse_categorical_crossentropy"), new Adam(lr));
            Parametrizations.ApplyLearningRates(model, o, OptimizerFamily.Adaptive);
            (Tensor x, Tensor y) = Batch(16, 4, rows, seed + 100);
            model.Forward(x);
            float[] before = model.DenseLayers[1].Output.ToArray();
            for (int s = 0; s < steps; s++)
            {
                model.TrainBatch(x, y);
            }
            model.Forward(x);
            float[] after = model.DenseLayers[1].Output.ToArray();
            return Math.Sqrt(before.Zip(after, (a, b) => (double)(b - a) * (b - a)).Average());
        }
        return Math.Log(Move(1024) / Move(64)) / Math.Log(1024.0 / 64);
    }

    [Theory]
    [InlineData("sgd", OptimizerFamily.Sgd)]
    [InlineData("Nesterov", OptimizerFamily.Sgd)]
    [InlineData("adam", OptimizerFamily.Adaptive)]
    [InlineData("rmsprop", OptimizerFamily.Adaptive)]
    [InlineData("adagrad", OptimizerFamily.Adaptive)]
    public void Family_RegisteredNames_SgdLikeOrAdamLike(string name, OptimizerFamily family)
    {
        Assert.Equal(family, Parametrizations.Family(name));
        Assert.Equal(family, Parametrizations.Family(OptimizerRegistry.Resolve(name)));
    }

    [Fact]
    public void FamilyAndParse_UnknownNames_SuggestTheNearest()
    {
        Assert.Throws<UnknownNameException>(() => Parametrizations.Family("adamw"));
        var e = Assert.Throws<UnknownNameException>(() => Parametrizations.Parse("mpu"));
        Assert.Contains("mup", e.Message, StringComparison.Ordinal);
        Assert.Equal(Parametrization.MuP, Parametrizations.Parse("muP"));
        Assert.Equal(Parametrization.Standard, Parametrizations.Parse("standard"));
        Assert.Equal(["sp", "ntk", "mup"], Parametrizations.All.Select(i => i.Name));
    }

    [Fact]
    public void ApplyLearningRates_OptionsOfAnotherModel_ErrorNamesTheModel()
    {
        Sequential model = ArchitectureBuilder.Build(Options(Parametrization.MuP, 32));
        var e = Assert.Throws<ArgumentException>(() => Parametrizations.ApplyLearningRates(model, Options(Parametrization.MuP, 32) with { Outputs = 5 }, "adam"));
        Assert.Equal("model", e.ParamName);
    }

    /// <summary>docs/residual.md shows both tables as the library has them: every residual init's and every
    /// parametrization's row, word for word.</summary>
    [Fact]
    public void Docs_ResidualPage_HasEveryRowOfBothTables()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "InitLab.slnx")))
        {
            dir = dir.Parent;
        }
        string docs = File.ReadAllText(Path.Combine(dir.FullName, "docs", "residual.md"));
        foreach (ResidualInits.Info r in ResidualInits.All)
        {
            Assert.Contains($"| `{r.Name}` | {r.Formula} | {r.Source} | {r.Elsewhere} |", docs, StringComparison.Ordinal);
        }
        foreach (Parametrizations.Info p in Parametrizations.All)
        {
            Assert.Contains($"| `{p.Name}` | {p.Init} | {p.Sgd} | {p.Adaptive} | {p.Source} | {p.Elsewhere} |", docs, StringComparison.Ordinal);
        }
    }
}
