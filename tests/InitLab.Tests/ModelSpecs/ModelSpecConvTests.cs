using InitLab.Initializers;
using InitLab.Layers;
using InitLab.ModelSpecs;
using InitLab.Training;

namespace InitLab.Tests.ModelSpecs;

/// <summary>Issue 22: conv2d, conv2d_transpose and flatten in a spec (Keras keys and defaults: strides 1, padding valid,
/// dilation 1, groups 1, linear), shapes by Keras's rules, and errors that name the key.</summary>
public class ModelSpecConvTests
{
    private static readonly ModelSpecDefaults Defaults = new(() => InitializerRegistry.Resolve("he_normal"), () => new Constant(0, "zeros"), "softmax");

    [Fact]
    public void Parse_Cnn_BuildsLayersWithKerasDefaultsAndShapes()
    {
        ModelSpec spec = ModelSpecFile.Parse("""
            input_shape: [8, 8, 2]
            layers:
              - {type: Conv2D, filters: 4, kernel_size: 3, padding: same, activation: relu, groups: 2}
              - {type: batch_normalization}
              - {type: conv2d, filters: 6, kernel_size: [3, 2], strides: [2, 1], dilation_rate: 1, use_bias: false, kernel_initializer: orthogonal}
              - {type: Conv2DTranspose, filters: 2, kernel_size: 2, strides: 2}
              - {type: flatten}
              - {type: dense, units: 3}
            """, "cnn.yaml", json: false);

        var model = new Sequential(spec.InputShape(128), spec.Layers(128, Defaults), seed: 1);

        var first = (Conv2D)model.Layers[0];
        Assert.Equal((4, (3, 3), (1, 1), ConvolutionPadding.Same, 2, "relu", "he_normal"),
            (first.Filters, first.KernelSize, first.Strides, first.Padding, first.Groups, first.Activation.Name, first.KernelInitializer.Name));
        Assert.Equal(4, ((BatchNormalization)model.Layers[1]).Features);
        var second = (Conv2D)model.Layers[2];
        Assert.Equal(((2, 1), false, "orthogonal", "linear"), (second.Strides, second.UseBias, second.KernelInitializer.Name, second.Activation.Name));
        Assert.Equal([3, 7, 6], second.OutputShape);
        Assert.Equal([6, 14, 2], model.Layers[3].OutputShape);
        Assert.Equal([168], model.Layers[4].OutputShape);
        Assert.Equal(3, spec.OutputWidth(128));
    }

    [Theory]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d\", \"kernel_size\": 3}]}", "n.json: layers[0].filters: missing; a conv2d layer needs 'filters'.")]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d\", \"filters\": 4}]}", "n.json: layers[0].kernel_size: missing; a conv2d layer needs 'kernel_size'.")]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d\", \"filters\": 4, \"kernel_size\": 3, \"groups\": 3}]}", "n.json: layers[0].groups: got 3, which does not divide the 4 filters.")]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d_transpose\", \"filters\": 4, \"kernel_size\": 3, \"groups\": 2}]}", "n.json: layers[0].groups: 'groups' is not a key of a conv2d_transpose layer.")]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d\", \"filters\": 4, \"kernel_size\": [3, 0]}]}", "n.json: layers[0].kernel_size: got '0'; it must be a whole number from 1 to 65536.")]
    public void Parse_BadConvSpec_NamesTheKey(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSpecFile.Parse(text, "n.json", json: true));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d\", \"filters\": 4, \"kernel_size\": 3, \"groups\": 2}]}", "n.json: layers[0].groups: got 2, which does not divide the 3 input channels")]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d\", \"filters\": 4, \"kernel_size\": 5, \"dilation_rate\": 2}]}", "n.json: layers[0].kernel_size: a 5×5 window (dilation 2×2) with padding valid does not fit the 8×8 input")]
    [InlineData("{\"layers\": [{\"type\": \"conv2d\", \"filters\": 4, \"kernel_size\": 3}]}", "n.json: layers[0].type: a conv2d layer needs rows shaped [height, width, channels], but its input is [192].")]
    [InlineData("{\"input_shape\": [8, 8, 3], \"layers\": [{\"type\": \"conv2d_transpose\", \"filters\": 16777216, \"kernel_size\": 64, \"strides\": 64}]}", "n.json: layers[0].filters: the layer would have")]
    public void Layers_ConvDoesNotFit_NamesTheKey(string text, string expected)
    {
        ModelSpec spec = ModelSpecFile.Parse(text, "n.json", json: true);

        var error = Assert.Throws<ArgumentException>(() => spec.Layers(192, Defaults));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
