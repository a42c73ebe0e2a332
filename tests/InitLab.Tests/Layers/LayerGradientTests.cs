using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 21: the backward pass of every new layer and option (batch normalization in all three modes, layer
/// normalization, residual blocks with identity and projection shortcuts, fixed and trained α, activation and scalar-bias
/// layers, normalization nested in a branch, blocks in blocks) against central differences of
/// <see cref="LayerReference"/>, the same network written out in double. The objective is L = Σ g·y for a fixed random
/// cotangent g, so ∂L/∂θ is exactly what the engine's backward pass computes from ∂L/∂y = g.
/// </summary>
/// <remarks>
/// Tolerances. The analytic side is float32: unit roundoff 6e-8, a few dozen operations deep, and normalization's centring
/// amplifies relative error by at most |x|/σ ≈ a few for these O(1) inputs; that is ≲ 1e-5 relative to the largest
/// entry, so 1e-4 leaves a factor of 10 and is still far below the O(1) error of a wrong or missing term. Central
/// differences in double with h = 1e-5 on O(1) values: truncation h²·|f‴|/6 ≈ 1e-11 and rounding 1e-16·|L|/h ≈ 1e-10.
/// The forward values are float32 against double, ≲ 20 operations per layer: 1e-5 relative to the largest output.
/// </remarks>
public class LayerGradientTests
{
    private const int Rows = 6;
    private const int Inputs = 4;
    private const double GradientTolerance = 1e-4;
    private const double ForwardTolerance = 1e-5;
    private const double Step = 1e-5;

    /// <summary>The architectures, by name (built fresh for every use: a layer belongs to one model).</summary>
    internal static Sequential Build(string name)
    {
        Layer[] layers = name switch
        {
            "batchnorm" => [Hidden(5), new BatchNormalization(), new ActivationLayer("tanh"), Out(3)],
            "batchnorm_first" => [new BatchNormalization(momentum: 0.9, epsilon: 1e-2), Out(3, "tanh")],
            "batchnorm_relu" => [Out(5), new BatchNormalization(), new ActivationLayer("relu"), Out(2)],
            "layernorm" => [Hidden(5), new LayerNormalization(), new ActivationLayer("gelu"), Out(3)],
            "layernorm_first_and_last" => [new LayerNormalization(epsilon: 1e-5), Hidden(5), new LayerNormalization()],
            "residual_identity" => [Hidden(5), new Residual([Hidden(5), Out(5)]), Out(2)],
            "residual_projection" => [Hidden(5), new Residual([Hidden(7), Out(3)]), Out(2)],
            "residual_projection_given" => [new Residual([Hidden(6)], projection: new Dense(6, "linear", "glorot_normal", "random_normal")), Out(2)],
            "residual_fixed_alpha" => [Hidden(5), new Residual([Hidden(5), Out(5)], alpha: 0.3f), Out(2)],
            "residual_trained_alpha" => [Hidden(5), new Residual([Hidden(5), Out(5)], alpha: 0.6f, trainableAlpha: true), Out(2)],
            "residual_last" => [Hidden(5), new Residual([new LayerNormalization(), Hidden(5)], alpha: 1.5f, trainableAlpha: true)],
            "residual_norms_inside" => [Hidden(5), new Residual([new BatchNormalization(), Hidden(5), new LayerNormalization(), Out(5)], alpha: 0.7f, trainableAlpha: true),
                new BatchNormalization(), Out(2)],
            "fixup_branch" => [Hidden(5), new Residual([new ScalarBias(), Hidden(5), new ScalarBias(), Out(5), new ScalarBias()], alpha: 0.5f, trainableAlpha: true),
                new ScalarBias(), Out(2)],
            "nested_residual" => [Hidden(5), new Residual([new Residual([new BatchNormalization(), Hidden(5)], alpha: 0.4f, trainableAlpha: true), Hidden(4)]), Out(2)],
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
        };
        var model = new Sequential(Inputs, layers, seed: 17) { Threads = 1 };
        Randomize(model, 23);
        return model;
    }

    private static Dense Hidden(int units) => new(units, "tanh", "glorot_normal", "random_normal");

    private static Dense Out(int units, string activation = "linear") => new(units, activation, "glorot_normal", "random_normal");

    /// <summary>γ, β, scalar biases and running statistics away from their 1/0 defaults, so every term of the backward
    /// pass is exercised (γ = 1 would hide a missing γ factor, β = 0 a missing β, running (0, 1) a swapped statistic).</summary>
    internal static void Randomize(Sequential model, ulong seed)
    {
        var rng = new Rng(seed);
        float Normal(double mean, double std) => (float)(mean + std * rng.NextNormal());
        foreach (Layer layer in model.AllLayers)
        {
            switch (layer)
            {
                case BatchNormalization bn:
                    for (int j = 0; j < bn.InputDim; j++)
                    {
                        bn.Gamma[j] = Normal(1, 0.3);
                        bn.Beta[j] = Normal(0, 0.3);
                        bn.MovingMean[j] = Normal(0, 0.3);
                        bn.MovingVariance[j] = (float)Math.Exp(0.5 * rng.NextNormal());
                    }
                    break;
                case LayerNormalization ln:
                    for (int j = 0; j < ln.InputDim; j++)
                    {
                        ln.Gamma[j] = Normal(1, 0.3);
                        ln.Beta[j] = Normal(0, 0.3);
                    }
                    break;
                case ScalarBias bias:
                    bias.OwnParameters[0].Value[0] = Normal(0, 0.3);
                    break;
            }
        }
    }

    public static TheoryData<string, PassMode> Cases()
    {
        var data = new TheoryData<string, PassMode>();
        foreach (string name in new[] { "layernorm", "layernorm_first_and_last", "residual_identity", "residual_projection", "residual_projection_given",
            "residual_fixed_alpha", "residual_trained_alpha", "residual_last", "fixup_branch" })
        {
            data.Add(name, PassMode.Probe);
        }
        foreach (string name in new[] { "batchnorm", "batchnorm_first", "batchnorm_relu", "residual_norms_inside", "nested_residual" })
        {
            data.Add(name, PassMode.Probe);
            data.Add(name, PassMode.Train);
            data.Add(name, PassMode.Infer);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_EveryParameterAndInput_MatchesCentralDifferencesOfDoubleForward(string name, PassMode mode)
    {
        Sequential model = Build(name);
        float[] x = LayerReference.Normals(Rows * Inputs, 31, scale: 1.2, shift: 0.3);
        float[] g = LayerReference.Normals(Rows * model.OutputDim, 37);
        (float[] output, float[] inputGradient) = ForwardBackward(model, x, g, mode);
        double[] xd = LayerReference.ToDouble(x);

        double[] expected = LayerReference.Forward(model, xd, Rows, mode);
        double forwardError = GradientCheck.RelativeError(LayerReference.ToDouble(output), expected);
        Assert.True(forwardError < ForwardTolerance, $"{name} {mode}: forward differs from the double formula by {forwardError}");

        double Objective(double[] y) => y.Zip(g, (a, b) => a * b).Sum();
        double[] numericalInput = GradientCheck.Numerical(xd, p => Objective(LayerReference.Forward(model, p, Rows, mode)), Step);
        double inputError = GradientCheck.RelativeError(LayerReference.ToDouble(inputGradient), numericalInput);
        Assert.True(inputError < GradientTolerance, $"{name} {mode}: ∂L/∂x relative error {inputError}");

        Assert.NotEmpty(model.Parameters);
        double scale = numericalInput.Max(Math.Abs);
        string[] shiftedAway = mode == PassMode.Infer ? [] : ShiftedAwayByBatchStatistics.GetValueOrDefault(name, []);
        foreach (Parameter parameter in model.Parameters)
        {
            double[] point = LayerReference.ToDouble(parameter.Value);
            double[] numerical = GradientCheck.Numerical(point,
                p => Objective(LayerReference.Forward(model, xd, Rows, mode, parameter.Value, p)), Step);
            string detail = $"(analytic [{string.Join(", ", parameter.Gradient.Take(4))}…], numerical [{string.Join(", ", numerical.Take(4))}…])";
            if (shiftedAway.Contains(parameter.Name))
            {
                // The true gradient is 0; the float one is the rounding of sums whose terms are of the model's gradient scale.
                Assert.True(numerical.Max(Math.Abs) < 1e-8 * Math.Max(1, scale), $"{name} {mode}: {parameter.Name} should not move the output {detail}");
                Assert.True(parameter.Gradient.Max(Math.Abs) < 1e-5 * Math.Max(1, scale), $"{name} {mode}: {parameter.Name} should have a zero gradient {detail}");
                continue;
            }
            double error = GradientCheck.RelativeError(LayerReference.ToDouble(parameter.Gradient), numerical);
            Assert.True(error < GradientTolerance, $"{name} {mode}: {parameter.Name} relative error {error} {detail}");
            Assert.True(numerical.Max(Math.Abs) > 1e-6, $"{name} {mode}: {parameter.Name} hardly changes the output; the check proves nothing {detail}");
        }
    }

    /// <summary>Per-feature shifts just before a batch normalization that uses the batch's statistics: the mean removes
    /// them exactly, so their true gradient is 0 (Ioffe &amp; Szegedy 2015, §3.2: the bias before BN can be dropped). With
    /// the running statistics (<see cref="PassMode.Infer"/>) they do move the output and are checked like the rest.</summary>
    private static readonly Dictionary<string, string[]> ShiftedAwayByBatchStatistics = new()
    {
        ["batchnorm_relu"] = ["dense_0/bias"],
        ["residual_norms_inside"] = ["residual_1/layer_normalization_2/beta", "residual_1/dense_3/bias"],
    };

    [Theory]
    [InlineData("batchnorm", new[] { "batch_normalization_1/gamma", "batch_normalization_1/beta" })]
    [InlineData("residual_projection", new[] { "residual_1/dense_0/kernel", "residual_1/dense_1/bias", "residual_1/shortcut/kernel" })]
    [InlineData("residual_projection_given", new[] { "residual_0/shortcut/kernel", "residual_0/shortcut/bias" })]
    [InlineData("residual_trained_alpha", new[] { "residual_1/alpha" })]
    [InlineData("residual_norms_inside", new[] { "residual_1/batch_normalization_0/gamma", "residual_1/layer_normalization_2/beta", "residual_1/alpha" })]
    [InlineData("fixup_branch", new[] { "residual_1/scalar_bias_0/bias", "residual_1/scalar_bias_4/bias", "scalar_bias_2/bias" })]
    [InlineData("nested_residual", new[] { "residual_1/residual_0/alpha", "residual_1/residual_0/batch_normalization_0/gamma", "residual_1/shortcut/kernel" })]
    public void Cases_CoverTheParametersTheyAreMeantTo(string name, string[] expected)
    {
        string[] names = [.. Build(name).Parameters.Select(p => p.Name)];
        foreach (string parameter in expected)
        {
            Assert.Contains(parameter, names);
        }
    }

    /// <summary>SkipInit/ReZero at α = 0: the block is the identity, so the branch's weights have exactly zero gradient
    /// (∂L/∂F = α·g = 0), while ∂L/∂α = Σ g·F(x) ≠ 0 is what lets α grow.</summary>
    [Fact]
    public void Backward_TrainedAlphaStartingAtZero_BranchGradientsZeroAlphaGradientMatches()
    {
        var block = new Residual([Hidden(5), new LayerNormalization(), Out(5)], alpha: 0, trainableAlpha: true);
        var model = new Sequential(Inputs, [Hidden(5), block, Out(2)], seed: 3) { Threads = 1 };
        float[] x = LayerReference.Normals(Rows * Inputs, 41);
        float[] g = LayerReference.Normals(Rows * 2, 43);
        (float[] output, float[] inputGradient) = ForwardBackward(model, x, g, PassMode.Probe);
        double[] xd = LayerReference.ToDouble(x);

        Assert.Equal(0f, block.Alpha);
        foreach (Parameter branchParameter in block.Branch.SelectMany(l => l.OwnParameters))
        {
            Assert.All(branchParameter.Gradient, v => Assert.Equal(0f, v));
        }
        Parameter alpha = block.OwnParameters.Single();
        Assert.NotEqual(0f, alpha.Gradient[0]);
        double Objective(double[] y) => y.Zip(g, (a, b) => a * b).Sum();
        double[] numerical = GradientCheck.Numerical([0.0], p => Objective(LayerReference.Forward(model, xd, Rows, PassMode.Probe, alpha.Value, p)), Step);
        Assert.True(GradientCheck.RelativeError([alpha.Gradient[0]], numerical) < GradientTolerance, $"∂L/∂α {alpha.Gradient[0]} vs {numerical[0]}");
        // And the block passes its input through unchanged.
        Assert.Equal(model.Layers[0].Output.ToArray(), block.Output.ToArray());
        Assert.True(GradientCheck.RelativeError(LayerReference.ToDouble(output), LayerReference.Forward(model, xd, Rows, PassMode.Probe)) < ForwardTolerance);
        Assert.Contains(inputGradient, v => v != 0);
    }

    /// <summary>The path <see cref="Sequential.Fit"/> takes (compiled loss, gradient written by the loss into a
    /// non-Dense last layer; no ∂/∂x below a first layer that is a block or a normalization) gives the same gradients as
    /// the research API fed the loss's gradient by hand.</summary>
    [Theory]
    [InlineData("residual_last")]
    [InlineData("residual_projection_given")]
    [InlineData("batchnorm_first")]
    [InlineData("layernorm_first_and_last")]
    public void ComputeGradients_EqualsResearchBackwardOfTheLossGradient(string name)
    {
        Sequential model = Build(name);
        model.Compile(LossRegistry.Resolve("mse"), new Sgd());
        Tensor x = LayerReference.NormalTensor(Rows, Inputs, 47);
        Tensor y = LayerReference.NormalTensor(Rows, model.OutputDim, 53);
        model.ComputeGradients(x, y);
        float[] viaLoss = LayerReference.Snapshot(model);

        // MSE's mean over rows×outputs: ∂L/∂ŷ = 2(ŷ − y)/(rows·outputs).
        Tensor prediction = model.Forward(x);
        int n = prediction.Length;
        float[] g = [.. prediction.Data.Zip(y.Data, (p, t) => 2 * (p - t) / n)];
        model.Backward(new Tensor(g, Rows, model.OutputDim));
        float[] viaResearch = LayerReference.Snapshot(model);
        for (int i = 0; i < viaLoss.Length; i++)
        {
            Assert.True(Math.Abs(viaLoss[i] - viaResearch[i]) <= 1e-6 * Math.Max(1, Math.Abs(viaResearch[i])), $"entry {i}: {viaLoss[i]} vs {viaResearch[i]}");
        }
    }

    /// <summary>Runs one forward pass in <paramref name="mode"/> and back-propagates <paramref name="g"/>: through the public
    /// research API for <see cref="PassMode.Probe"/> (what it uses), through the internal one for the other modes.</summary>
    internal static (float[] Output, float[] InputGradient) ForwardBackward(Sequential model, float[] x, float[] g, PassMode mode)
    {
        int rows = x.Length / model.InputDim;
        if (mode == PassMode.Probe)
        {
            Tensor output = model.Forward(new Tensor((float[])x.Clone(), rows, model.InputDim));
            Tensor dx = model.Backward(new Tensor(g, rows, model.OutputDim));
            return (output.Data, dx.Data);
        }
        float[] input = (float[])x.Clone();
        model.Forward(input, rows, mode);
        float[] result = model.Layers[^1].Output.ToArray();
        g.CopyTo(model.Layers[^1].WritableOutputGradient(rows));
        var inputGradient = new float[rows * model.InputDim];
        model.Backward(lastGradientIsPreActivation: false, inputGradient);
        return (result, inputGradient);
    }
}
