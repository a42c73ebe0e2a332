using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: the backward pass of max, average and global average pooling and of dropout against central differences
/// of <see cref="PoolingReference"/> (the layers written out in double from Keras's and TensorFlow's documented rules,
/// with explicit padding) for L = Σ g·y with a fixed random cotangent g. Max pooling inputs are distinct values 0.05
/// apart (<see cref="PoolingReference.DistinctValues"/>), so no window has a tie within a step h and max is
/// differentiable where it is checked.
/// </summary>
/// <remarks>Tolerances as in <see cref="LayerGradientTests"/>: the pooling gradients are exact sums of g (or g/count)
/// in float32, ≲ 1e-6 relative; the central differences of a piecewise-linear function in double are exact up to
/// rounding 1e-16·|L|/h ≈ 1e-10. So 1e-4 is far above both and far below the O(1) error of a gradient sent to the wrong
/// input or divided by the wrong count.</remarks>
public class PoolingGradientTests
{
    private const int Rows = 3;
    private const double GradientTolerance = 1e-4;
    private const double ForwardTolerance = 1e-6;
    private const double Step = 1e-5;

    internal static (int[] Shape, Layer[] Layers) Case(string name) => name switch
    {
        "max_valid_odd" => ([5, 5, 2], [new MaxPool2D(2)]),
        "max_same_uneven" => ([5, 4, 3], [new MaxPool2D(3, strides: 2, padding: "same")]),
        "max_overlapping" => ([4, 5, 2], [new MaxPool2D(3, strides: 1)]),
        "max_rectangular_same" => ([5, 7, 2], [new MaxPool2D(2, 3, 1, 2, "same")]),
        "max_stride_over_window" => ([7, 7, 1], [new MaxPool2D(2, strides: 3)]),
        "avg_valid_odd" => ([5, 5, 2], [new AvgPool2D(2)]),
        "avg_same_uneven" => ([5, 4, 3], [new AvgPool2D(3, strides: 2, padding: "same")]),
        "avg_same_overlapping" => ([3, 3, 2], [new AvgPool2D(3, strides: 1, padding: "same")]),
        "avg_rectangular_same" => ([5, 7, 2], [new AvgPool2D(2, 3, 1, 2, "same")]),
        "global_average" => ([3, 4, 2], [new GlobalAveragePooling2D()]),
        "chain_with_dense" => ([6, 6, 2], [new MaxPool2D(2), new AvgPool2D(2, strides: 1, padding: "same"), new GlobalAveragePooling2D(),
            new Dense(3, "tanh", "glorot_normal", "random_normal")]),
        "pool_then_dense" => ([5, 5, 2], [new MaxPool2D(3, strides: 2, padding: "same"), new Dense(3, "tanh", "glorot_normal", "random_normal")]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
    };

    [Theory]
    [InlineData("max_valid_odd")]
    [InlineData("max_same_uneven")]
    [InlineData("max_overlapping")]
    [InlineData("max_rectangular_same")]
    [InlineData("max_stride_over_window")]
    [InlineData("avg_valid_odd")]
    [InlineData("avg_same_uneven")]
    [InlineData("avg_same_overlapping")]
    [InlineData("avg_rectangular_same")]
    [InlineData("global_average")]
    [InlineData("chain_with_dense")]
    [InlineData("pool_then_dense")]
    public void Backward_InputsAndParameters_MatchCentralDifferencesOfDoubleForward(string name)
    {
        (int[] shape, Layer[] layers) = Case(name);
        var model = new Sequential(shape, layers, seed: 19) { Threads = 1 };
        Check(model, name, PassMode.Probe);
    }

    /// <summary>Dropout in training: the mask drawn by the forward pass is fixed, y = x·mask, so ∂L/∂x = g·mask (and the
    /// Dense weights under it see the dropped values).</summary>
    [Fact]
    public void Backward_DropoutInTraining_MatchesCentralDifferencesWithItsMask()
    {
        var dropout = new Dropout(0.4);
        var model = new Sequential([4, 4, 2], [new AvgPool2D(2, strides: 1), dropout, new Dense(3, "tanh", "glorot_normal", "random_normal")], seed: 5) { Threads = 1 };
        Check(model, "dropout_train", PassMode.Train);
        Assert.Contains(0f, dropout.Mask.ToArray());
        Assert.Contains(dropout.Scale, dropout.Mask.ToArray());
    }

    private static void Check(Sequential model, string name, PassMode mode)
    {
        float[] x = PoolingReference.DistinctValues(Rows * model.InputDim, 29);
        float[] g = LayerReference.Normals(Rows * model.OutputDim, 31);
        (float[] output, float[] inputGradient) = LayerGradientTests.ForwardBackward(model, x, g, mode);
        double[] xd = LayerReference.ToDouble(x);

        double forwardError = GradientCheck.RelativeError(LayerReference.ToDouble(output), PoolingReference.Forward(model, xd, Rows, mode));
        Assert.True(forwardError < ForwardTolerance, $"{name}: forward differs from the reference by {forwardError}");

        double Objective(double[] y) => y.Zip(g, (a, b) => a * b).Sum();
        double[] numerical = GradientCheck.Numerical(xd, p => Objective(PoolingReference.Forward(model, p, Rows, mode)), Step);
        double inputError = GradientCheck.RelativeError(LayerReference.ToDouble(inputGradient), numerical);
        Assert.True(inputError < GradientTolerance, $"{name}: ∂L/∂x relative error {inputError}");
        Assert.True(numerical.Max(Math.Abs) > 1e-3, $"{name}: the input hardly changes the output; the check proves nothing");

        foreach (Parameter parameter in model.Parameters)
        {
            double[] numericalParameter = GradientCheck.Numerical(LayerReference.ToDouble(parameter.Value),
                p => Objective(PoolingReference.Forward(model, xd, Rows, mode, parameter.Value, p)), Step);
            double error = GradientCheck.RelativeError(LayerReference.ToDouble(parameter.Gradient), numericalParameter);
            Assert.True(error < GradientTolerance, $"{name}: {parameter.Name} relative error {error}");
        }
    }
}
