using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Training;

/// <summary>Default layer names follow Keras's <c>to_snake_case</c> of the class name plus the position (worked by hand
/// from Keras's own names: max_pooling2d, global_average_pooling2d, batch_normalization).</summary>
public sealed class LayerNamingTests
{
    [Fact]
    public void DefaultNames_AreKerasSnakeCase_WithThePosition_AndBlocksPrefixTheirLayers()
    {
        var model = new Sequential([6, 6, 2],
        [
            new MaxPool2D(2), new BatchNormalization(), new GlobalAveragePooling2D(),
            new Residual([new Dense(2, "relu"), new Dense(2)]), new Dense(3),
        ]);
        var recurrent = new Sequential([5, 3], [new Lstm(4, returnSequences: true), new SimpleRnn(4, returnSequences: true), new Gru(4), new Dense(1)]);
        Assert.Equal(["lstm_0", "simple_rnn_1", "gru_2", "dense_3"], recurrent.Layers.Select(l => l.Name));
        Assert.Equal(["max_pooling2d_0", "batch_normalization_1", "global_average_pooling2d_2", "residual_3", "dense_4"],
            model.Layers.Select(l => l.Name));
        Assert.Equal(["residual_3/dense_0", "residual_3/dense_1"], ((Residual)model.Layers[3]).Branch.Select(l => l.Name));
        Assert.Contains(model.Parameters, p => p.Name == "residual_3/dense_1/kernel");
    }
}
