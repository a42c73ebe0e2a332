using InitLab.Initializers;
using InitLab.Layers;
using InitLab.ModelSpecs;
using InitLab.Training;

namespace InitLab.Tests.ModelSpecs;

/// <summary>Issue 22: a spec's input_shape and its pooling and dropout layers (Keras's keys and defaults: pool_size 2,
/// strides = pool_size, padding valid), shapes followed from the input with the layers' own size rules.</summary>
public class ModelSpecPoolingTests
{
    private static readonly ModelSpecDefaults Defaults = new(() => InitializerRegistry.Resolve("he_normal"), () => new Constant(0, "zeros"), "softmax");

    [Fact]
    public void Parse_DigitsAsImages_BuildsPoolingStackWithKerasDefaults()
    {
        ModelSpec spec = ModelSpecFile.Parse("""
            input_shape: [8, 8, 1]
            layers:
              - {type: MaxPooling2D, pool_size: [2, 3], strides: 1, padding: same}
              - {type: average_pooling2d}
              - type: residual
                branch: [{type: avg_pool2d, pool_size: 3, strides: 1, padding: same}]
              - {type: dropout, rate: 0.25}
              - {type: global_average_pooling2d}
              - {type: dense, units: 10}
            """, "cnn.yaml", json: false);

        Assert.Equal([8, 8, 1], spec.InputShape(64));
        var model = new Sequential(spec.InputShape(64), spec.Layers(64, Defaults), seed: 1);

        var max = (MaxPool2D)model.Layers[0];
        Assert.Equal((2, 3, 1, 1, "same"), (max.PoolHeight, max.PoolWidth, max.StrideHeight, max.StrideWidth, max.Padding));
        var average = (AvgPool2D)model.Layers[1];
        Assert.Equal((2, 2, 2, 2, "valid"), (average.PoolHeight, average.PoolWidth, average.StrideHeight, average.StrideWidth, average.Padding));
        Assert.Equal([4, 4, 1], model.Layers[2].OutputShape);
        Assert.Equal(0.25, ((Dropout)model.Layers[3]).Rate);
        Assert.IsType<GlobalAveragePooling2D>(model.Layers[4]);
        Assert.Equal(("softmax", 10), (((Dense)model.Layers[5]).Activation.Name, model.OutputDim));
        Assert.Equal(10, spec.OutputWidth(64));
        Assert.Equal([64, 10], spec.Widths(64));
    }

    [Fact]
    public void Parse_NoInputShape_RowsAreFlat()
    {
        ModelSpec spec = ModelSpecFile.Parse("{\"layers\": [{\"type\": \"dropout\", \"rate\": 0.5}, {\"type\": \"dense\", \"units\": 2}]}", "n.json", json: true);

        Assert.Null(spec.DeclaredInputShape);
        Assert.Equal([5], spec.InputShape(5));
    }

    [Theory]
    [InlineData("{\"input_shape\": [8, 0, 1], \"layers\": [{\"type\": \"dense\", \"units\": 2}]}", "n.json: input_shape[1]: got '0'; every dimension is a whole number >= 1.")]
    [InlineData("{\"input_shape\": 64, \"layers\": [{\"type\": \"dense\", \"units\": 2}]}", "n.json: input_shape: expected a list of 1 to 8 whole numbers, e.g. [8, 8, 1]")]
    [InlineData("{\"input_shape\": [65536, 65536], \"layers\": [{\"type\": \"dense\", \"units\": 2}]}", "n.json: input_shape: [65536, 65536] holds more values per row than one array")]
    [InlineData("{\"input_shap\": [8, 8, 1], \"layers\": []}", "n.json: unknown key 'input_shap' at the top. Did you mean 'input_shape'? Valid: input_shape, layers.")]
    [InlineData("{\"layers\": [{\"type\": \"max_pooling2d\", \"pool_size\": [2, 2, 2]}]}", "n.json: layers[0].pool_size: expected a whole number or a list [height, width], got a list.")]
    [InlineData("{\"layers\": [{\"type\": \"max_pooling2d\", \"strides\": 0}]}", "n.json: layers[0].strides: got '0'; it must be a whole number from 1 to 65536.")]
    [InlineData("{\"layers\": [{\"type\": \"max_pooling2d\", \"padding\": \"full\"}]}", "n.json: layers[0].padding: got 'full'; it must be valid (no padding) or same")]
    [InlineData("{\"layers\": [{\"type\": \"max_pooling2d\", \"size\": 2}]}", "n.json: layers[0].size: 'size' is not a key of a max_pooling2d layer.")]
    [InlineData("{\"layers\": [{\"type\": \"dropout\"}]}", "n.json: layers[0].rate: missing; a dropout layer needs 'rate'.")]
    [InlineData("{\"layers\": [{\"type\": \"dropout\", \"rate\": 1}]}", "n.json: layers[0].rate: got '1'; it must be in [0, 1)")]
    [InlineData("{\"layers\": [{\"type\": \"maxpool\"}]}", "n.json: layers[0].type: Unknown layer type 'maxpool'.")]
    public void Parse_BadPoolingSpec_NamesFilePathValueAndValid(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSpecFile.Parse(text, "n.json", json: true));

        Assert.Equal("modelFile", error.ParamName);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"layers\": [{\"type\": \"max_pooling2d\"}]}", 64, "n.json: layers[0].type: a max_pooling2d layer needs rows shaped [height, width, channels], but its input is [64]. Give input_shape:")]
    [InlineData("{\"input_shape\": [8, 8, 1], \"layers\": [{\"type\": \"dense\", \"units\": 4}, {\"type\": \"global_average_pooling2d\"}]}", 64, "n.json: layers[1].type: a global_average_pooling2d layer needs rows shaped [height, width, channels], but its input is [4].")]
    [InlineData("{\"input_shape\": [8, 8, 1], \"layers\": [{\"type\": \"max_pooling2d\", \"pool_size\": 9}]}", 64, "n.json: layers[0].pool_size: a 9×9 window with padding valid does not fit the 8×8 input")]
    [InlineData("{\"input_shape\": [8, 8, 2], \"layers\": [{\"type\": \"dense\", \"units\": 4}]}", 64, "n.json: input_shape: [8, 8, 2] holds 128 values per row, but the data has 64 features")]
    public void Layers_ShapeDoesNotFit_NamesTheLayerAndHowToFixIt(string text, int features, string expected)
    {
        ModelSpec spec = ModelSpecFile.Parse(text, "n.json", json: true);

        var error = Assert.Throws<ArgumentException>(() => spec.Layers(features, Defaults));

        Assert.Equal("modelFile", error.ParamName);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layers_DataRowShape_UsedWithoutInputShapeAndCheckedAgainstOne()
    {
        ModelSpec plain = ModelSpecFile.Parse("layers: [{type: max_pooling2d}, {type: flatten}, {type: dense, units: 10}]", "n.yaml", json: false);
        ModelSpec declared = ModelSpecFile.Parse("input_shape: [4, 4, 4]\nlayers: [{type: max_pooling2d}, {type: flatten}, {type: dense, units: 10}]", "d.yaml", json: false);

        var model = new Sequential(plain.InputShape([8, 8, 1]), plain.Layers([8, 8, 1], Defaults), seed: 1);
        Assert.Equal([4, 4, 1], model.Layers[0].OutputShape);
        Assert.Equal([4, 4, 4], declared.InputShape([8, 8, 1]));
        Assert.Equal([2, 2, 4], new Sequential(declared.InputShape([8, 8, 1]), declared.Layers([8, 8, 1], Defaults), seed: 1).Layers[0].OutputShape);
        Assert.Equal(10, plain.OutputWidth([8, 8, 1]));
        var error = Assert.Throws<ArgumentException>(() => declared.Layers([8, 8, 2], Defaults));
        Assert.StartsWith("d.yaml: input_shape: [4, 4, 4] holds 64 values per row, but the data has 128 features", error.Message, StringComparison.Ordinal);
    }
}
