using InitLab.Diagnostics;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Practicals;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Diagnostics;

/// <summary>Issue 10 §2: diagnose never gives a false all-clear, never recommends what is in use, groups repeated
/// per-layer findings, and agrees with the practicals.</summary>
public class DiagnosisTests
{
    /// <summary>A stack of <paramref name="depth"/> Dense(width) layers and a 10-way softmax, on a seeded Gaussian batch.</summary>
    private static (Sequential Model, Tensor X, Tensor Y) Network(string activation, string init, int depth, int width = 256, int inputs = 64, int rows = 256)
    {
        var layers = Enumerable.Range(0, depth).Select(_ => new Dense(width, activation, init)).Append(new Dense(10, "softmax", init));
        var model = new Sequential(inputs, layers, seed: 1);
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd());
        var rng = new Rng(7);
        var x = new float[rows * inputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextNormal();
        }
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            y[i] = rng.NextInt(10);
        }
        return (model, new Tensor(x, rows, inputs), new Tensor(y, rows, 1));
    }

    private static Diagnosis Diagnose(string activation, string init, int depth, int width = 256)
    {
        var (model, x, y) = Network(activation, init, depth, width);
        return Diagnosis.Run(model, x, y);
    }

    [Fact]
    public void Run_LargeRandomReluDepth20_NonFiniteIsExplodingAndStatedFirst()
    {
        // U(0, 1) weights: E[z²] grows by about fan_in·E[w²]·E[relu(h)²]/E[h²] ≈ 256/3/2·… per layer and overflows float32
        // (3.4e38) around layer 18 of 20, which turned every ratio into NaN and the old report into "No warnings".
        Diagnosis d = Diagnose("relu", "tutorial_large_random", 20);
        Assert.Contains(d.Layers, l => double.IsPositiveInfinity(l.Measured.PreActivationMeanSquare));
        Assert.Equal(Verdict.ExplodingGradients, d.Verdict);
        Assert.Contains("E[z²] = ∞", d.Reason, StringComparison.Ordinal);
        Assert.StartsWith("E[z²] = ∞ in dense_", d.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("he_normal", d.Advice.Initializer);
    }

    [Fact]
    public void ClassifyAtInit_NaNGradientWithOtherwiseHealthyRatios_IsExploding()
    {
        // Every ratio is inside the thresholds; only one gradient norm is NaN. NaN compares false with every threshold,
        // so without the non-finite rule this snapshot would pass as healthy.
        LayerSnapshot Layer(string name, double gradient) => new(name, 8, "relu", 0, 1, 1, 0.5, 0.6, 0, 0, gradient, 0, gradient);
        var snapshot = new ModelSnapshot([Layer("dense_0", 1), Layer("dense_1", double.NaN), Layer("dense_2", 1)], 0.7);
        var model = new Sequential(8, [new Dense(8, "relu", "he_normal"), new Dense(8, "relu", "he_normal"), new Dense(8, "softmax")]);
        (Verdict verdict, string reason) = VerdictClassifier.ClassifyAtInit(model, snapshot);
        Assert.Equal(Verdict.ExplodingGradients, verdict);
        Assert.Contains("‖∇‖ = NaN in dense_1", reason, StringComparison.Ordinal);
        var evidence = new VerdictEvidence(snapshot, false, [8, 8], false, 0.99);
        Assert.Equal(Verdict.ExplodingGradients, VerdictClassifier.Classify(evidence).Verdict);
    }

    [Theory]
    [InlineData("tanh", "glorot_uniform")]
    [InlineData("tanh", "glorot_normal")]
    [InlineData("sigmoid", "glorot_uniform")]
    [InlineData("sigmoid", "glorot_normal")]
    public void Run_SquashingWithGlorotDepth20_NeverRecommendsGlorot(string activation, string init)
    {
        Diagnosis d = Diagnose(activation, init, 20);
        // glorot_normal and glorot_uniform both have Var(w) = 2/(fan_in + fan_out): the same scale, so neither is advice for the other.
        Assert.Null(d.Advice.Initializer);
        Assert.DoesNotContain("use glorot", d.Advice.Text, StringComparison.Ordinal);
        if (d.Verdict != Verdict.Healthy)
        {
            Assert.Contains($"{init} already gives {activation} the standard weight scale", d.Advice.Text, StringComparison.Ordinal);
        }
        if (activation == "sigmoid")
        {
            // The sigmoid's slope ≤ 1/4 makes the gradient vanish at any scale: the advice is depth, activation or normalization.
            Assert.Equal(Verdict.VanishingGradients, d.Verdict);
            Assert.Contains("use at most", d.Advice.Text, StringComparison.Ordinal);
            Assert.Contains("normalization", d.Advice.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Run_GlorotReluDepth30_AdvisesHeWithTheVarianceFactor()
    {
        // Glorot on square layers: Var(w) = 2/(n + n) = 1/n; He: 2/n. The variance must double: ×2, std ×√2 = 1.41.
        Diagnosis d = Diagnose("relu", "glorot_uniform", 30, width: 64);
        Assert.Equal(Verdict.VanishingGradients, d.Verdict);
        Assert.Equal("he_normal", d.Advice.Initializer);
        Assert.Contains("×2,", d.Advice.Text, StringComparison.Ordinal);
        Assert.Contains("std ×1.41", d.Advice.Text, StringComparison.Ordinal);
        // Glorot with gain g has Var = g²·2/(n + n) = g²/n: g = √2 = 1.41 gives He's 2/n.
        Assert.Contains("keep glorot_uniform with gain=1.41", d.Advice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ConstantStart_SymmetricAdvisesRandomWeights_WithoutAVarianceFactor()
    {
        // All weights 0.5: the variance is 0, so "×k" of it means nothing; the advice compares E[w²] only.
        Diagnosis d = Diagnose("relu", "tutorial_constant", 2, width: 16);
        Assert.Equal(Verdict.Symmetric, d.Verdict);
        Assert.Equal("he_normal", d.Advice.Initializer);
        Assert.Contains("random zero-mean weights", d.Advice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("variance ×", d.Advice.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string> Activations() => ["relu", "tanh", "sigmoid", "selu", "leaky_relu", "elu", "gelu", "linear"];

    /// <summary>Every registry initializer × activation at depth 20: whenever an initializer is advised it is neither the
    /// one in use nor of the same weight scale, where the scale is measured independently on the weights as
    /// fan_in·mean(w²) and compared with the hand-worked σ_w² of the advised preset on these square 32-wide layers.</summary>
    [Theory]
    [MemberData(nameof(Activations))]
    public void Run_EveryInitializer_NeverAdvisesItselfOrAnEquivalent(string activation)
    {
        // σ_w² = fan_in·Var(w) on a 32×32 layer: He 2/32·32 = 2; Glorot 2/(32+32)·32 = 1; LeCun 1/32·32 = 1.
        var expected = new Dictionary<string, double> { ["he_normal"] = 2, ["glorot_uniform"] = 1, ["lecun_normal"] = 1 };
        int advice = 0;
        foreach (string name in InitializerRegistry.Names)
        {
            if (name is "sparse" or "dirac" or "delta_orthogonal")
            {
                continue; // need a parameter or a convolution shape
            }
            var (model, x, y) = Network(activation, name, depth: 20, width: 32, inputs: 32, rows: 64);
            Diagnosis d = Diagnosis.Run(model, x, y);
            if (d.Advice.Initializer is not string advised)
            {
                continue;
            }
            advice++;
            Assert.NotEqual(name, advised);
            var hidden = model.DenseLayers.Take(model.DenseLayers.Count - 1).ToList();
            double measured = hidden.Average(l => l.InputDim * l.Kernel.ToArray().Average(w => (double)w * w));
            // 20 layers × 1024 weights: the relative SE of mean(w²) is at most √(2/20480) ≈ 1%; the advisor calls scales
            // within 5% the same, so anything advised must be at least 5% − 3 SE away.
            Assert.True(Math.Abs(measured / expected[advised] - 1) > 0.02,
                $"{activation} + {name}: advised {advised} (σ_w² {expected[advised]}) although the weights in use have σ_w² {measured:G4}");
        }
        Assert.True(advice > 0, "no initializer got advice, so the property was never exercised");
    }

    [Fact]
    public void Run_SaturatedTanhDepth20_OneGroupedLineInsteadOfTwenty()
    {
        Diagnosis d = Diagnose("tanh", "tutorial_large_random", 20, width: 64);
        Assert.Equal(Verdict.Saturated, d.Verdict);
        var saturated = d.Warnings.Where(w => w.Contains("saturated", StringComparison.Ordinal)).ToList();
        string line = Assert.Single(saturated);
        Assert.Contains("dense_0 to dense_19 (20 layers)", line, StringComparison.Ordinal);
        Assert.Equal(line, d.Warnings[0]); // the verdict's own cause comes first
    }

    [Fact]
    public void LayerRuns_SplitsAtGapsAndKinds_ShowsTheRange()
    {
        LayerFinding F(int i, string kind, double v) => new(i, $"dense_{i}", kind, v);
        var lines = LayerRuns.Group([F(2, "a", 0.6), F(3, "a", 0.9), F(4, "a", 0.7), F(6, "a", 1), F(3, "b", 0.5)],
            (kind, where, low, high) => $"{kind}: {where} {low}-{high}");
        Assert.Equal(["a: dense_2 to dense_4 (3 layers) 0.6-0.9", "a: dense_6 1-1", "b: dense_3 0.5-0.5"], lines);
    }

    [Fact]
    public void Run_HealthyVerdict_HasNoWarnings_AndKeepsTheInitializer()
    {
        Diagnosis d = Diagnose("relu", "he_normal", 20);
        Assert.Equal(Verdict.Healthy, d.Verdict);
        Assert.Empty(d.Warnings);
        Assert.Null(d.Advice.Initializer);
        Assert.StartsWith("keep he_normal", d.Advice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GlorotReluDepth10_HealthyAsInThePracticals_WithADriftNote()
    {
        // Std ratio 2^(−9/2) = 0.044 > 0.01: healthy under the shared thresholds; the note gives the depth where it would
        // cross: 2^(−(L−1)/2) < 0.01 ⇔ L − 1 > 2·log2(100) = 13.29 ⇔ L ≥ 15.
        Diagnosis d = Diagnose("relu", "glorot_uniform", 10, width: 64);
        Assert.Equal(Verdict.Healthy, d.Verdict);
        Assert.Empty(d.Warnings);
        string note = Assert.Single(d.Notes);
        Assert.Contains("15 or more hidden layers would vanish", note, StringComparison.Ordinal);
        Assert.Contains("×0.5 per layer", note, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 10: the same verdict as the practicals on all 26 of their networks. "The same" is defined by
    /// <see cref="VerdictClassifier.AtInitCounterpart"/>: identical verdicts, except that a trained slow_convergence
    /// is healthy at initialisation (only training shows it). no_training and symmetric, which the practicals observe
    /// after training, are predicted by diagnose from the weights and must agree. Same network (builder, seed 1), same
    /// probe batch.
    /// </summary>
    [Fact]
    public void Run_EveryPracticalNetwork_SameVerdictAsThePracticals()
    {
        var runner = new PracticalRunner(new PracticalOptions { Seeds = 1 });
        var variants = PracticalCatalog.Names.SelectMany(n => PracticalCatalog.Variants(n)).ToList();
        Assert.Equal(26, variants.Count);
        var seen = new HashSet<Verdict>();
        foreach (PracticalCase variant in variants)
        {
            Verdict trained = runner.Run(variant).Runs[0].Verdict;
            Sequential model = runner.Build(variant, seed: 1);
            var (x, y) = runner.ProbeBatchFor(variant, model);
            Diagnosis d = Diagnosis.Run(model, x, y);
            Assert.True(d.Verdict == VerdictClassifier.AtInitCounterpart(trained),
                $"{variant.Id}: practicals {VerdictClassifier.Name(trained)}, diagnose {VerdictClassifier.Name(d.Verdict)} — {d.Reason}");
            seen.Add(d.Verdict);
        }
        // The agreement is not a constant answer: the 26 networks span six verdicts.
        Assert.Equal(6, seen.Count);
    }
}
