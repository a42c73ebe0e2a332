using InitLab.Activations;
using InitLab.Data;
using InitLab.Experiments;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Models;
using InitLab.Optimizers;
using InitLab.Training;

namespace InitLab.Tests.TestUtilities;

/// <summary>Recurrent networks with every option the model file, .npz and ONNX must carry: a ReLU SimpleRNN with an
/// identity recurrent kernel (IRNN), an LSTM with unit_forget_bias and random biases (so a gate-order slip changes the
/// output), reset-after GRUs (two bias rows) stacked with return_sequences, a residual block and per-feature batch
/// normalization on sequences, and an LSTM returning its last state into a dense head.</summary>
internal static class RecurrentNets
{
    private static IInitializer RandomBias() => InitializerRegistry.Resolve("random_normal");

    /// <summary>Rows of shape [6, 3] into 2 softmax outputs (the comments give each layer's output shape).</summary>
    public static Sequential AllOptions(ulong seed)
    {
        var model = new Sequential([6, 3], [
            new SimpleRnn(5, returnSequences: true, activation: new Relu(), recurrentInitializer: InitializerRegistry.Resolve("identity"), biasInitializer: RandomBias()), // [6, 5]
            new Lstm(4, returnSequences: true, biasInitializer: RandomBias()),                                      // [6, 4]
            new Gru(3, returnSequences: true, biasInitializer: RandomBias()),                                       // [6, 3]
            new Residual([new Gru(3, returnSequences: true, activation: new Relu(), biasInitializer: RandomBias())]), // [6, 3]
            new BatchNormalization(momentum: 0.9),                                                                  // per feature (3)
            new Lstm(4, unitForgetBias: false, biasInitializer: RandomBias()),                                      // [4]
            new Dense(2, "softmax"),
        ], seed);
        var rng = new InitLab.Random.Rng(seed + 100);
        foreach (BatchNormalization norm in model.AllLayers.OfType<BatchNormalization>())
        {
            for (int j = 0; j < norm.Features; j++)
            {
                norm.MovingMean[j] = (float)(0.3 * rng.NextNormal());
                norm.MovingVariance[j] = 0.5f + (float)rng.NextDouble();
            }
        }
        return model;
    }

    /// <summary>A reset-before GRU (Keras 2's form, which nn.GRU cannot compute) and a tanh SimpleRNN, on [5, 2].</summary>
    public static Sequential ResetBefore(ulong seed) => new([5, 2], [
        new Gru(4, returnSequences: true, resetAfter: false, biasInitializer: RandomBias()),
        new SimpleRnn(3, biasInitializer: RandomBias()),
        new Dense(1),
    ], seed);

    /// <summary>An LSTM trained for <paramref name="epochs"/> on the adding problem (T = 50), as a regression model.</summary>
    public static (TrainedModel Model, Dataset Test) TrainOnAdding(int epochs, ulong seed)
    {
        (Dataset train, Dataset test) = DataSource.LoadRaw("adding", new DataOptions { Seed = seed, Rows = 300 });
        var network = new Sequential(train.RowShape, [new Lstm(8), new Dense(1)], seed);
        network.Compile(new MeanSquaredError(), new Adam(0.01));
        network.Fit(train.Features, train.RegressionTargets!, new FitOptions { Epochs = epochs, ShuffleSeed = seed });
        return (new TrainedModel(network, ModelTask.Regression, train.FeatureNames, null, null, null, train.LabelName), test);
    }
}
