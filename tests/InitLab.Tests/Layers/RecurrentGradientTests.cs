using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: back-propagation through time of SimpleRNN, LSTM and GRU (both reset_after forms), for every option —
/// return_sequences both ways, T = 1 and T ≥ 4, unit_forget_bias on and off, stacked recurrent layers (so ∂/∂x of a
/// recurrent layer feeds another) — against central differences of <see cref="RecurrentReference"/>, the same network
/// in double stepped one sequence at a time. L = Σ g·y for a fixed random cotangent g; inputs, every kernel, recurrent
/// kernel and bias element.
/// </summary>
/// <remarks>
/// Tolerances. The analytic side is float32 (unit roundoff 6e-8); every step is a sum over F + units ≤ 9 products and a
/// few gate operations, and back-propagation through T ≤ 5 steps chains T such Jacobians whose norms stay below ~2 for
/// these O(1) weights: ≲ 1e-5 relative to the largest entry, so 1e-4 keeps a factor of 10 and is far below the O(1)
/// error of a wrong or missing term. Central differences in double with h = 1e-5: truncation h²|f‴|/6 ≈ 1e-11,
/// rounding 1e-16·|L|/h ≈ 1e-10. Forward: float32 against double, ≲ 1e-6 relative; 1e-5 is asserted.
/// </remarks>
public class RecurrentGradientTests
{
    private const int Rows = 3;
    private const int Features = 3;
    private const double GradientTolerance = 1e-4;
    private const double ForwardTolerance = 1e-5;
    private const double Step = 1e-5;

    /// <summary>The cases by name, built fresh each time: biases drawn from N(0, 0.5²) so a missing bias term shows.</summary>
    internal static Sequential Build(string name)
    {
        (int Steps, Layer[] Layers) built = name switch
        {
            "simple_rnn_sequences" => (5, [Rnn(4, true)]),
            "simple_rnn_last" => (5, [Rnn(4, false), Out(2)]),
            "simple_rnn_one_step" => (1, [Rnn(4, false)]),
            "simple_rnn_softplus" => (4, [new SimpleRnn(3, true, ActivationRegistry.Resolve("softplus"), Glorot, new Orthogonal(1.3), Bias)]),
            "lstm_sequences" => (4, [Long(4, true)]),
            "lstm_last" => (5, [Long(4, false), Out(2)]),
            "lstm_one_step" => (1, [Long(3, true)]),
            "lstm_no_forget_bias" => (4, [new Lstm(3, false, kernelInitializer: Glorot, recurrentInitializer: new Orthogonal(1.3), biasInitializer: Bias, unitForgetBias: false)]),
            "lstm_softplus_gelu" => (4, [new Lstm(3, true, ActivationRegistry.Resolve("softplus"), ActivationRegistry.Resolve("gelu"), Glorot, new Orthogonal(1.3), Bias)]),
            "gru_sequences" => (4, [Gated(4, true, resetAfter: true)]),
            "gru_last" => (5, [Gated(4, false, resetAfter: true), Out(2)]),
            "gru_one_step" => (1, [Gated(3, true, resetAfter: true)]),
            "gru_reset_before_sequences" => (4, [Gated(4, true, resetAfter: false)]),
            "gru_reset_before_last" => (5, [Gated(4, false, resetAfter: false), Out(2)]),
            "gru_reset_before_one_step" => (1, [Gated(3, false, resetAfter: false)]),
            "stacked" => (4, [Rnn(3, true), Long(3, true), Gated(3, true, resetAfter: false), Gated(2, false, resetAfter: true), Out(2)]),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
        };
        return new Sequential([built.Steps, Features], built.Layers, seed: 19) { Threads = 1 };
    }

    private static readonly IInitializer Glorot = VarianceScaling.GlorotUniform();

    private static readonly IInitializer Bias = new RandomNormal(0, 0.5);

    // Gain 1.3 so that the recurrent paths carry gradients of the same order as the input paths over T steps.
    private static SimpleRnn Rnn(int units, bool sequences) => new(units, sequences, null, Glorot, new Orthogonal(1.3), Bias);

    private static Lstm Long(int units, bool sequences) => new(units, sequences, null, null, Glorot, new Orthogonal(1.3), Bias);

    private static Gru Gated(int units, bool sequences, bool resetAfter) => new(units, sequences, null, null, Glorot, new Orthogonal(1.3), Bias, resetAfter);

    private static Dense Out(int units) => new(units, "linear", "glorot_normal", "random_normal");

    public static TheoryData<string> Cases() =>
    [
        "simple_rnn_sequences", "simple_rnn_last", "simple_rnn_one_step", "simple_rnn_softplus",
        "lstm_sequences", "lstm_last", "lstm_one_step", "lstm_no_forget_bias", "lstm_softplus_gelu",
        "gru_sequences", "gru_last", "gru_one_step", "gru_reset_before_sequences", "gru_reset_before_last", "gru_reset_before_one_step",
        "stacked",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_EveryParameterAndInput_MatchesCentralDifferencesOfPerStepDoubleReference(string name)
    {
        Sequential model = Build(name);
        float[] x = LayerReference.Normals(Rows * model.InputDim, 31, scale: 1.0, shift: 0.2);
        float[] g = LayerReference.Normals(Rows * model.OutputDim, 37);
        (float[] output, float[] inputGradient) = LayerGradientTests.ForwardBackward(model, x, g, PassMode.Probe);
        double[] xd = LayerReference.ToDouble(x);

        double[] expected = RecurrentReference.Forward(model, xd, Rows);
        double forwardError = GradientCheck.RelativeError(LayerReference.ToDouble(output), expected);
        Assert.True(forwardError < ForwardTolerance, $"{name}: forward differs from the per-step double reference by {forwardError}");

        double Objective(double[] y) => y.Zip(g, (a, b) => a * b).Sum();
        double[] numericalInput = GradientCheck.Numerical(xd, p => Objective(RecurrentReference.Forward(model, p, Rows)), Step);
        double inputError = GradientCheck.RelativeError(LayerReference.ToDouble(inputGradient), numericalInput);
        Assert.True(inputError < GradientTolerance, $"{name}: ∂L/∂x relative error {inputError}");
        // Over more than one step, the first step's input must reach the loss (through the recurrence when only the last
        // state is returned): a zero there would mean BPTT stopped early.
        int steps = model.InputShape[0];
        if (steps > 1)
        {
            Assert.True(inputGradient.Take(Features).Any(v => Math.Abs(v) > 1e-4), $"{name}: ∂L/∂x_0 is zero");
        }

        foreach (Parameter parameter in model.Parameters)
        {
            double[] point = LayerReference.ToDouble(parameter.Value);
            double[] numerical = GradientCheck.Numerical(point, p => Objective(RecurrentReference.Forward(model, xd, Rows, parameter.Value, p)), Step);
            string detail = $"(analytic [{string.Join(", ", parameter.Gradient.Take(4))}…], numerical [{string.Join(", ", numerical.Take(4))}…])";
            double error = GradientCheck.RelativeError(LayerReference.ToDouble(parameter.Gradient), numerical);
            Assert.True(error < GradientTolerance, $"{name}: {parameter.Name} relative error {error} {detail}");
            bool firstStepRecurrentOnly = steps == 1 && parameter.Name.EndsWith("/recurrent_kernel", StringComparison.Ordinal);
            if (firstStepRecurrentOnly)
            {
                // h_0 = 0, so over one step U never touches the output: its gradient is exactly 0.
                Assert.All(parameter.Gradient, v => Assert.Equal(0f, v));
            }
            else
            {
                Assert.True(numerical.Max(Math.Abs) > 1e-6, $"{name}: {parameter.Name} hardly changes the output; the check proves nothing {detail}");
            }
        }
    }

    /// <summary>Every recurrent layer of a case contributes its kernel, recurrent kernel and bias to the checked
    /// parameters (names are the model's: name/kernel, name/recurrent_kernel, name/bias).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Cases_CheckEveryRecurrentParameter(string name)
    {
        Sequential model = Build(name);
        string[] names = [.. model.Parameters.Select(p => p.Name)];
        foreach (RecurrentLayer layer in model.Layers.OfType<RecurrentLayer>())
        {
            Assert.Equal(layer.OwnParameters.Select(p => p.Name), [layer.Name + "/kernel", layer.Name + "/recurrent_kernel", layer.Name + "/bias"]);
            Assert.Subset(names.ToHashSet(), layer.OwnParameters.Select(p => p.Name).ToHashSet());
        }
        Assert.NotEmpty(model.Layers.OfType<RecurrentLayer>());
    }

    /// <summary>Buffers sized for the largest batch are reused for smaller ones (the time-major blocks are laid out for the
    /// current batch): predicting 7 sequences in batches of 3, 3 and 1 gives what one batch of 7 gives (GEMM sums run over
    /// k in the same order for any m; 1e-6 relative allows for a different edge-tile kernel).</summary>
    [Theory]
    [InlineData("stacked")]
    [InlineData("lstm_sequences")]
    public void Predict_SmallerBatchesAfterALargerOne_SameOutputs(string name)
    {
        Sequential model = Build(name);
        var x = new InitLab.Tensors.Tensor(LayerReference.Normals(7 * model.InputDim, 61), 7, model.InputDim);
        float[] whole = model.Predict(x, batchSize: 7).Data;
        float[] pieces = model.Predict(x, batchSize: 3).Data;
        double error = GradientCheck.RelativeError(LayerReference.ToDouble(pieces), LayerReference.ToDouble(whole));
        Assert.True(error < 1e-6, $"{name}: batches of 3 differ from one batch of 7 by {error}");
    }
}
