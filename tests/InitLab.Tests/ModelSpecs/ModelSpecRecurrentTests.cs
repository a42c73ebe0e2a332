using InitLab.Initializers;
using InitLab.Layers;
using InitLab.ModelSpecs;
using InitLab.Training;

namespace InitLab.Tests.ModelSpecs;

/// <summary>Issue 22: simple_rnn, lstm and gru in a spec (Keras keys and defaults: tanh, sigmoid gates, orthogonal
/// recurrent kernel, unit_forget_bias and reset_after true, last state only), on rows [timesteps, features].</summary>
public class ModelSpecRecurrentTests
{
    private static readonly ModelSpecDefaults Defaults = new(() => InitializerRegistry.Resolve("glorot_uniform"), () => new Constant(0, "zeros"), "linear");

    [Fact]
    public void Parse_StackedRecurrent_BuildsWithKerasDefaults()
    {
        ModelSpec spec = ModelSpecFile.Parse("""
            layers:
              - {type: SimpleRNN, units: 8, activation: relu, recurrent_initializer: identity, return_sequences: true}
              - {type: LSTM, units: 6, return_sequences: true, unit_forget_bias: false}
              - {type: gru, units: 4, reset_after: false, recurrent_activation: tanh}
              - {type: dense, units: 1}
            """, "rnn.yaml", json: false);

        var model = new Sequential(spec.InputShape([50, 2]), spec.Layers([50, 2], Defaults), seed: 1);

        var rnn = (SimpleRnn)model.Layers[0];
        Assert.Equal(("relu", "identity", true), (rnn.Activation.Name, rnn.RecurrentInitializer.Name, rnn.ReturnSequences));
        var lstm = (Lstm)model.Layers[1];
        Assert.Equal((false, "tanh", "sigmoid", "orthogonal"), (lstm.UnitForgetBias, lstm.Activation.Name, lstm.RecurrentActivation.Name, lstm.RecurrentInitializer.Name));
        var gru = (Gru)model.Layers[2];
        Assert.Equal((false, false, "tanh"), (gru.ResetAfter, gru.ReturnSequences, gru.RecurrentActivation.Name));
        Assert.Equal([4], gru.OutputShape);
        Assert.Equal(1, spec.OutputWidth([50, 2]));
    }

    [Theory]
    [InlineData("{\"layers\": [{\"type\": \"lstm\", \"units\": 4}]}", "n.json: layers[0].type: a lstm layer needs rows shaped [timesteps, features], but its input is [100]. Give input_shape:")]
    [InlineData("{\"input_shape\": [50, 2], \"layers\": [{\"type\": \"lstm\", \"units\": 4}, {\"type\": \"gru\", \"units\": 4}]}", "n.json: layers[1].type: a gru layer needs rows shaped [timesteps, features], but its input is [4].")]
    [InlineData("{\"input_shape\": [50, 2], \"layers\": [{\"type\": \"lstm\", \"units\": 4, \"recurrent_activation\": \"softmax\"}]}", "n.json: layers[0].recurrent_activation: LSTM: recurrentActivation must be elementwise")]
    [InlineData("{\"input_shape\": [50, 2], \"layers\": [{\"type\": \"simple_rnn\", \"units\": 16777216}]}", "n.json: layers[0].units: kernels of 33554432 and 281474976710656 weights")]
    public void Layers_BadRecurrentSpec_NamesTheKey(string text, string expected)
    {
        ModelSpec spec = ModelSpecFile.Parse(text, "n.json", json: true);

        var error = Assert.Throws<ArgumentException>(() => spec.Layers(100, Defaults));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RecurrentActivationOnSimpleRnn_NotAKey()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSpecFile.Parse("{\"layers\": [{\"type\": \"simple_rnn\", \"units\": 2, \"reset_after\": true}]}", "n.json", json: true));

        Assert.StartsWith("n.json: layers[0].reset_after: 'reset_after' is not a key of a simple_rnn layer.", error.Message, StringComparison.Ordinal);
    }
}
