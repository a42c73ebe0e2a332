using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Training;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: Conv2D (stride 1/2, same/valid, dilation 2, groups 1/2/depthwise, 1×1, odd sizes, with and without bias),
/// Conv2DTranspose (same/valid, stride 1/2/3, dilation 2, 1×1), Flatten and per-channel batch normalization: forward
/// values against <see cref="ConvReference"/>'s direct sums in double, and ∂L/∂x and every parameter's gradient against
/// central differences of it, with L = Σ g·y for a fixed random cotangent g.
/// </summary>
/// <remarks>Tolerances as in <see cref="LayerGradientTests"/>: the float32 side is ≲ 1e-5 relative to the largest entry
/// (a convolution sums at most 72 products here: √72·6e-8 ≈ 5e-7 relative for a random-sign sum, ≤ 72·6e-8 ≈ 4e-6 worst
/// case), so 1e-4 for gradients and 1e-5 for forward values; a wrong index or a missing term is an O(1) error.</remarks>
public class ConvGradientTests
{
    private const int Rows = 3;
    private const double GradientTolerance = 1e-4;
    private const double ForwardTolerance = 1e-5;
    private const double Step = 1e-5;

    internal static Sequential Build(string name)
    {
        (int[] shape, Layer[] layers) = name switch
        {
            "conv_valid" => Case([5, 6, 3], [Conv(4, (3, 3))]),
            "conv_same_stride2_odd" => Case([7, 6, 3], [Conv(4, (3, 2), strides: (2, 2), same: true)]),
            "conv_valid_stride2_odd" => Case([7, 7, 2], [Conv(3, (3, 3), strides: (2, 2))]),
            "conv_same_even_kernel" => Case([5, 4, 2], [Conv(3, (2, 4), same: true)]),
            "conv_dilation2_same" => Case([7, 6, 2], [Conv(3, (3, 3), dilation: (2, 2), same: true)]),
            "conv_dilation2_valid" => Case([7, 8, 2], [Conv(3, (3, 2), dilation: (2, 2))]),
            "conv_stride2_dilation2" => Case([9, 8, 2], [Conv(2, (3, 3), strides: (2, 2), dilation: (2, 2), same: true)]),
            "conv_groups2" => Case([5, 5, 4], [Conv(6, (3, 3), groups: 2, same: true)]),
            "conv_groups2_stride2_valid" => Case([6, 7, 4], [Conv(4, (2, 3), strides: (2, 2), groups: 2)]),
            "conv_depthwise" => Case([5, 5, 3], [Conv(3, (3, 3), groups: 3, same: true)]),
            "conv_depthwise_multiplier2_stride2" => Case([6, 5, 3], [Conv(6, (3, 3), strides: (2, 2), groups: 3, same: true)]),
            "conv_pointwise" => Case([4, 5, 3], [Conv(5, (1, 1))]),
            "conv_pointwise_stride2" => Case([5, 5, 3], [Conv(2, (1, 1), strides: (2, 2))]),
            "conv_relu_no_bias" => Case([6, 6, 2], [new Conv2D(4, (3, 3), padding: ConvolutionPadding.Same, activation: new Relu(),
                kernelInitializer: InitializerRegistry.Resolve("glorot_normal"), useBias: false)]),
            "conv_stack" => Case([8, 7, 2], [Conv(4, (3, 3), same: true), Conv(3, (3, 3), strides: (2, 2), groups: 1), new Flatten(),
                new Dense(3, "linear", "glorot_normal", "random_normal")]),
            "transpose_valid" => Case([3, 4, 3], [Transpose(2, (3, 3))]),
            "transpose_same_stride2" => Case([3, 3, 2], [Transpose(3, (3, 2), strides: (2, 2), same: true)]),
            "transpose_valid_stride2" => Case([3, 4, 2], [Transpose(2, (2, 3), strides: (2, 2))]),
            "transpose_valid_stride3_gaps" => Case([3, 2, 2], [Transpose(2, (2, 2), strides: (3, 3))]),
            "transpose_same_stride2_even_kernel" => Case([3, 3, 2], [Transpose(2, (4, 4), strides: (2, 2), same: true)]),
            "transpose_dilation2" => Case([3, 4, 2], [Transpose(2, (3, 3), dilation: (2, 2), same: true)]),
            "transpose_dilation2_valid" => Case([3, 3, 2], [Transpose(2, (2, 3), dilation: (2, 2))]),
            "transpose_pointwise" => Case([3, 4, 3], [Transpose(2, (1, 1))]),
            "conv_then_transpose" => Case([6, 6, 2], [Conv(3, (3, 3), strides: (2, 2), same: true), Transpose(2, (3, 3), strides: (2, 2), same: true)]),
            "cnn_batchnorm" => Case([8, 8, 1], [new Conv2D(4, (3, 3), padding: ConvolutionPadding.Same, useBias: false,
                    kernelInitializer: InitializerRegistry.Resolve("glorot_normal")),
                new BatchNormalization(), new ActivationLayer("relu"), Conv(3, (3, 3), strides: (2, 2), same: true), new Flatten(),
                new Dense(3, "softmax", "glorot_normal", "random_normal")]),
            "batchnorm_channels_first" => Case([4, 3, 3], [new BatchNormalization(momentum: 0.9, epsilon: 1e-2), Conv(2, (2, 2))]),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
        };
        static (int[], Layer[]) Case(int[] shape, Layer[] layers) => (shape, layers);
        var model = new Sequential(shape, layers, seed: 19) { Threads = 1 };
        Randomize(model, 29);
        return model;
    }

    private static Conv2D Conv(int filters, (int, int) kernel, (int, int)? strides = null, (int, int)? dilation = null, int groups = 1, bool same = false) =>
        new(filters, kernel, strides, same ? ConvolutionPadding.Same : ConvolutionPadding.Valid, dilation, groups, new Tanh(),
            InitializerRegistry.Resolve("glorot_normal"), InitializerRegistry.Resolve("random_normal"));

    private static Conv2DTranspose Transpose(int filters, (int, int) kernel, (int, int)? strides = null, (int, int)? dilation = null, bool same = false) =>
        new(filters, kernel, strides, same ? ConvolutionPadding.Same : ConvolutionPadding.Valid, dilation, new Tanh(),
            InitializerRegistry.Resolve("glorot_normal"), InitializerRegistry.Resolve("random_normal"));

    /// <summary>Batch normalization's γ, β and running statistics away from 1/0 (see <see cref="LayerGradientTests.Randomize"/>).</summary>
    internal static void Randomize(Sequential model, ulong seed)
    {
        var rng = new Rng(seed);
        foreach (BatchNormalization bn in model.AllLayers.OfType<BatchNormalization>())
        {
            for (int j = 0; j < bn.Gamma.Length; j++)
            {
                bn.Gamma[j] = (float)(1 + 0.3 * rng.NextNormal());
                bn.Beta[j] = (float)(0.3 * rng.NextNormal());
                bn.MovingMean[j] = (float)(0.3 * rng.NextNormal());
                bn.MovingVariance[j] = (float)Math.Exp(0.5 * rng.NextNormal());
            }
        }
    }

    public static TheoryData<string, PassMode> Cases()
    {
        var data = new TheoryData<string, PassMode>();
        foreach (string name in new[] { "conv_valid", "conv_same_stride2_odd", "conv_valid_stride2_odd", "conv_same_even_kernel", "conv_dilation2_same",
            "conv_dilation2_valid", "conv_stride2_dilation2", "conv_groups2", "conv_groups2_stride2_valid", "conv_depthwise",
            "conv_depthwise_multiplier2_stride2", "conv_pointwise", "conv_pointwise_stride2", "conv_relu_no_bias", "conv_stack",
            "transpose_valid", "transpose_same_stride2", "transpose_valid_stride2", "transpose_valid_stride3_gaps",
            "transpose_same_stride2_even_kernel", "transpose_dilation2", "transpose_dilation2_valid", "transpose_pointwise", "conv_then_transpose" })
        {
            data.Add(name, PassMode.Probe);
        }
        foreach (string name in new[] { "cnn_batchnorm", "batchnorm_channels_first" })
        {
            data.Add(name, PassMode.Probe);
            data.Add(name, PassMode.Train);
            data.Add(name, PassMode.Infer);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_EveryParameterAndInput_MatchesCentralDifferencesOfDirectConvolution(string name, PassMode mode)
    {
        Sequential model = Build(name);
        float[] x = LayerReference.Normals(Rows * model.InputDim, 31, scale: 1.2, shift: 0.3);
        float[] g = LayerReference.Normals(Rows * model.OutputDim, 37);
        (float[] output, float[] inputGradient) = LayerGradientTests.ForwardBackward(model, x, g, mode);
        double[] xd = LayerReference.ToDouble(x);

        double[] expected = ConvReference.Forward(model, xd, Rows, mode);
        Assert.Equal(expected.Length, output.Length);
        double forwardError = GradientCheck.RelativeError(LayerReference.ToDouble(output), expected);
        Assert.True(forwardError < ForwardTolerance, $"{name} {mode}: forward differs from the direct sum by {forwardError}");

        double Objective(double[] y) => y.Zip(g, (a, b) => a * b).Sum();
        double[] numericalInput = GradientCheck.Numerical(xd, p => Objective(ConvReference.Forward(model, p, Rows, mode)), Step);
        double inputError = GradientCheck.RelativeError(LayerReference.ToDouble(inputGradient), numericalInput);
        Assert.True(inputError < GradientTolerance, $"{name} {mode}: ∂L/∂x relative error {inputError}");
        Assert.True(numericalInput.Max(Math.Abs) > 1e-6, $"{name} {mode}: the input hardly changes the output");

        Assert.NotEmpty(model.Parameters);
        foreach (Parameter parameter in model.Parameters)
        {
            double[] point = LayerReference.ToDouble(parameter.Value);
            double[] numerical = GradientCheck.Numerical(point,
                p => Objective(ConvReference.Forward(model, xd, Rows, mode, parameter.Value, p)), Step);
            string detail = $"(analytic [{string.Join(", ", parameter.Gradient.Take(4))}…], numerical [{string.Join(", ", numerical.Take(4))}…])";
            double error = GradientCheck.RelativeError(LayerReference.ToDouble(parameter.Gradient), numerical);
            Assert.True(error < GradientTolerance, $"{name} {mode}: {parameter.Name} relative error {error} {detail}");
            Assert.True(numerical.Max(Math.Abs) > 1e-6, $"{name} {mode}: {parameter.Name} hardly changes the output; the check proves nothing {detail}");
        }
    }

    /// <summary>Conv2D by hand: a 3×3 image 1..9 and the 2×2 kernel [[1, 0], [0, −1]] give x[i, j] − x[i+1, j+1] = −4
    /// everywhere with "valid"; with "same" the extra padding row and column go after (bottom/right), so the last row and
    /// column read 0 for x[i+1, j+1]: [[−4, −4, 3], [−4, −4, 6], [7, 8, 9]].</summary>
    [Theory]
    [InlineData("valid", new float[] { -4, -4, -4, -4 })]
    [InlineData("same", new float[] { -4, -4, 3, -4, -4, 6, 7, 8, 9 })]
    public void Conv2D_HandExample_MatchesHandValues(string padding, float[] expected)
    {
        var conv = new Conv2D(1, 2, padding: padding);
        var model = new Sequential(new[] { 3, 3, 1 }, [conv], seed: 1) { Threads = 1 };
        float[] kernel = [1, 0, 0, -1];
        kernel.CopyTo(conv.Kernel);
        Tensors.Tensor y = model.Forward(new Tensors.Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 9));
        Assert.Equal(expected, y.Data);
    }

    /// <summary>Conv2DTranspose by hand: stride 2 with a 2×2 kernel stamps x[i, j]·K on the 2×2 block (2i, 2j) of the
    /// 4×4 output, no overlap: [[1, 2], [3, 4]] with K = [[1, 10], [100, 1000]].</summary>
    [Theory]
    [InlineData("valid")]
    [InlineData("same")]
    public void Conv2DTranspose_HandExample_StampsTheKernel(string padding)
    {
        var layer = new Conv2DTranspose(1, 2, strides: 2, padding: padding);
        var model = new Sequential(new[] { 2, 2, 1 }, [layer], seed: 1) { Threads = 1 };
        float[] kernel = [1, 10, 100, 1000];
        kernel.CopyTo(layer.Kernel);
        Tensors.Tensor y = model.Forward(new Tensors.Tensor([1, 2, 3, 4], 1, 4));
        float[] expected = [1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000];
        Assert.Equal(expected, y.Data);
    }
}
