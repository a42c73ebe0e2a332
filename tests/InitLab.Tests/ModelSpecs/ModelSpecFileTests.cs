using InitLab.Initializers;
using InitLab.Layers;
using InitLab.ModelSpecs;
using InitLab.Training;

namespace InitLab.Tests.ModelSpecs;

public class ModelSpecFileTests
{
    private static readonly ModelSpecDefaults Defaults = new(() => InitializerRegistry.Resolve("he_normal"), () => new Constant(0, "zeros"), "softmax");

    [Fact]
    public void Parse_EveryLayerType_BuildsTheStackWithItsSettings()
    {
        ModelSpec spec = ModelSpecFile.Parse("""
            layers:
              - {type: Dense, units: 8, use_bias: false}
              - {type: BatchNormalization, momentum: 0.9, epsilon: 0.01}
              - {type: activation, activation: tanh}
              - type: residual
                alpha: 0.5
                trainable_alpha: true
                projection: {kernel_initializer: orthogonal}
                branch:
                  - {type: scalar_bias, value: 0.25}
                  - {type: layer_normalization, gamma_initializer: zeros}
                  - {type: dense, units: 6, activation: relu}
              - {type: dense, units: 3}
            """, "n.yaml", json: false);

        IReadOnlyList<Layer> layers = spec.Layers(4, Defaults);

        var model = new Sequential(4, layers, seed: 1);
        Assert.Collection(model.Layers,
            l => Assert.Equal((8, false), (((Dense)l).Units, ((Dense)l).UseBias)),
            l => Assert.Equal((0.9, 0.01), (((BatchNormalization)l).Momentum, ((BatchNormalization)l).Epsilon)),
            l => Assert.Equal("tanh", ((ActivationLayer)l).Activation.Name),
            l =>
            {
                var block = (Residual)l;
                Assert.Equal((0.5f, true), (block.InitialAlpha, block.TrainableAlpha));
                Assert.Equal(0.25f, ((ScalarBias)block.Branch[0]).InitialValue);
                Assert.All(((LayerNormalization)block.Branch[1]).Gamma.ToArray(), g => Assert.Equal(0f, g));
                Assert.Equal(6, block.Projection!.Units);
                Assert.Equal("orthogonal", block.Projection.KernelInitializer.Name);
            },
            l => Assert.Equal(("softmax", "he_normal"), (((Dense)l).Activation.Name, ((Dense)l).KernelInitializer.Name)));
        Assert.Equal(3, spec.OutputWidth(4));
        Assert.Equal([4, 8, 6, 6, 3], spec.Widths(4));
        Assert.Equal("layers[4].units", spec.OutputPath);
    }

    [Theory]
    [InlineData("{\"layers\": []}", "n.json: layers: the list is empty; give at least one layer.")]
    [InlineData("{\"layer\": []}", "n.json: unknown key 'layer' at the top. Did you mean 'layers'? Valid: input_shape, layers.")]
    [InlineData("{\"layers\": [{\"units\": 3}]}", "n.json: layers[0].type: missing; every layer needs a type")]
    [InlineData("{\"layers\": [{\"type\": \"dense\"}]}", "n.json: layers[0].units: missing; a dense layer needs 'units'.")]
    [InlineData("{\"layers\": [{\"type\": \"residual\", \"branch\": []}]}", "n.json: layers[0].branch: the list is empty")]
    [InlineData("{\"layers\": [{\"type\": \"residual\", \"branch\": [{\"type\": \"dense\", \"units\": 2, \"kernel_initializer\": \"he_normel\"}]}]}",
        "n.json: layers[0].branch[0].kernel_initializer: Unknown initializer 'he_normel'. Did you mean 'he_normal'?")]
    [InlineData("{\"layers\": [{\"type\": \"batch_normalization\", \"momentum\": 1}]}", "n.json: layers[0].momentum: got '1'; it must be in [0, 1).")]
    [InlineData("{\"layers\": [{\"type\": \"dense\", \"units\": 2, \"use_bias\": \"maybe\"}]}", "n.json: layers[0].use_bias: got 'maybe'; it must be true or false.")]
    [InlineData("{\"layers\": [{\"type\": \"residual\", \"projection\": \"always\", \"branch\": [{\"type\": \"dense\", \"units\": 2}]}]}", "n.json: layers[0].projection: got 'always'; give auto")]
    [InlineData("{\"layers\": [{\"type\": \"dense\", \"units\": 2}", "n.json: not valid JSON:")]
    public void Parse_BadSpec_NamesFilePathValueAndValid(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSpecFile.Parse(text, "n.json", json: true));

        Assert.Equal("modelFile", error.ParamName);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeKernel_RefusedBeforeAllocating()
    {
        ModelSpec spec = ModelSpecFile.Parse("layers: [{type: dense, units: 16777216}, {type: dense, units: 16777216}]", "big.yaml", json: false);

        var error = Assert.Throws<ArgumentException>(() => spec.Layers(4, Defaults));

        Assert.StartsWith("big.yaml: layers[1].units: a 16777216→16777216 kernel has 281474976710656 weights, more than one array holds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedBeyondTheBound_RefusedWithoutStackOverflow()
    {
        string text = "{\"layers\": [" + string.Concat(Enumerable.Repeat("{\"type\": \"residual\", \"branch\": [", 40)) + "{\"type\": \"dense\", \"units\": 2}"
            + string.Concat(Enumerable.Repeat("]}", 40)) + "]}";

        var error = Assert.Throws<ArgumentException>(() => ModelSpecFile.Parse(text, "deep.json", json: true));

        Assert.Contains("nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepYamlFlowNesting_RefusedBeforeTheYamlParser()
    {
        string text = "layers: " + new string('[', 100_000) + new string(']', 100_000);

        var error = Assert.Throws<ArgumentException>(() => ModelSpecFile.Parse(text, "deep.yaml", json: false));

        Assert.Equal("deep.yaml: nested more than 64 levels deep.", error.Message.Split(" (Parameter")[0]);
    }

    [Fact]
    public void Read_MissingFile_FileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => ModelSpecFile.Read(Path.Combine(Path.GetTempPath(), "initlab-no-such-spec.yaml")));
}
