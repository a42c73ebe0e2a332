using InitLab.Data;
using InitLab.Experiments;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Models;
using InitLab.Optimizers;
using InitLab.Training;

namespace InitLab.Tests.TestUtilities;

/// <summary>A small network with every kind of layer the model file, .npz and ONNX must carry: residual blocks with an
/// identity shortcut (α fixed 1), a projection (widths 32 → 16) with a trained α, and a fixed α ≠ 1; batch and layer
/// normalization with non-default momentum and ε; an Activation layer and a ScalarBias inside blocks.</summary>
internal static class ResidualNets
{
    public static Sequential Build(int inputs, int outputs, string head, ulong seed) => new(inputs, [
        new Dense(32, "relu", "he_normal"),
        new Residual([new Dense(32, "linear", "he_normal"), new BatchNormalization(), new ActivationLayer("relu"), new Dense(32)]),
        new LayerNormalization(),
        new Residual([new Dense(16, "relu"), new LayerNormalization(epsilon: 1e-5)], alpha: 0.5f, trainableAlpha: true),
        new BatchNormalization(momentum: 0.9, epsilon: 1e-4),
        new Residual([new ScalarBias(0.1f), new Dense(16, "tanh")], alpha: 0.25f),
        new Dense(outputs, head),
    ], seed);

    /// <summary>The network trained for <paramref name="epochs"/> on the digits' training split (scaled), wrapped with its
    /// scaler and class names; the raw test split comes back for scoring.</summary>
    public static (TrainedModel Model, Dataset Test) TrainOnDigits(int epochs, ulong seed)
    {
        (Dataset train, Dataset test) = DataSource.LoadRaw("digits", new DataOptions { Seed = seed });
        Scaler scaler = Scaler.FitStandard(train.Features);
        Sequential network = Build(64, 10, "softmax", seed);
        network.Compile(new CategoricalCrossEntropy(sparse: true), new Adam(0.01));
        Dataset scaled = scaler.Transform(train);
        network.Fit(scaled.Features, scaled.TargetsFor(network.Loss!, 10), new FitOptions { Epochs = epochs, ShuffleSeed = seed });
        return (new TrainedModel(network, ModelTask.Classification, train.FeatureNames, scaler, train.ClassNames, labelName: train.LabelName), test);
    }
}
