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

/// <summary>Convolutional networks with every convolution option the model file, .npz and ONNX must carry: rectangular
/// windows and strides, "same" padding with an odd total (the extra row below, the extra column right), dilation,
/// groups and a depthwise layer, per-channel batch normalization with moved running statistics, transposed convolutions
/// with "same" (odd total) and "valid" output larger than ONNX's s·(n − 1) + k (output_padding), a "valid" stride that
/// drops trailing columns, a bias-free convolution, a residual block added in NCHW, Flatten and a dense head.</summary>
internal static class ConvNets
{
    /// <summary>Rows of shape [5, 4, 3] into 5 softmax outputs (the comments give each layer's output shape).</summary>
    public static Sequential AllOptions(ulong seed)
    {
        var model = new Sequential([5, 4, 3], [
            new Conv2D(6, (3, 2), (2, 1), ConvolutionPadding.Same, null, groups: 3, activation: new Tanh(),
                biasInitializer: InitializerRegistry.Resolve("random_normal")),                             // [3, 4, 6]
            new Conv2D(6, (3, 3), null, ConvolutionPadding.Same, (2, 2), groups: 6, activation: new Relu()), // [3, 4, 6] depthwise
            new BatchNormalization(momentum: 0.9, epsilon: 1e-3),
            new Conv2DTranspose(4, 3, strides: 2, padding: "same", activation: "elu", biasInitializer: "random_normal"),   // [6, 8, 4]
            new Conv2DTranspose(2, (1, 3), (2, 2), ConvolutionPadding.Valid),                                           // [12, 17, 2]
            new Conv2D(3, 2, strides: 3, useBias: false),                                                               // [4, 6, 3]
            new Residual([new Conv2D(3, 3, padding: "same", activation: "relu"), new BatchNormalization()]),             // [4, 6, 3]
            new Flatten(),                                                                                              // [72]
            new Dense(5, "softmax"),
        ], seed);
        var rng = new InitLab.Random.Rng(seed + 100);
        foreach (BatchNormalization norm in model.AllLayers.OfType<BatchNormalization>())
        {
            for (int j = 0; j < norm.Features; j++)
            {
                norm.MovingMean[j] = (float)(0.3 * rng.NextNormal());
                norm.MovingVariance[j] = 0.5f + (float)rng.NextDouble();
                norm.Gamma[j] = 0.5f + (float)rng.NextDouble();
                norm.Beta[j] = (float)(0.2 * rng.NextNormal());
            }
        }
        return model;
    }

    /// <summary>The digits as 8×8×1 images through conv → per-channel BN → pool → strided conv → flatten → softmax,
    /// trained for <paramref name="epochs"/> and wrapped with its scaler and class names.</summary>
    public static (TrainedModel Model, Dataset Test) TrainOnDigits(int epochs, ulong seed)
    {
        (Dataset train, Dataset test) = DataSource.LoadRaw("digits", new DataOptions { Seed = seed });
        Scaler scaler = Scaler.FitStandard(train.Features);
        var network = new Sequential([8, 8, 1], [
            new Conv2D(8, 3, padding: "same", activation: "relu", kernelInitializer: "he_normal"),
            new BatchNormalization(),
            new MaxPool2D(2),
            new Conv2D(8, 3, strides: 2, padding: "same", activation: "relu", kernelInitializer: "he_normal"),
            new Flatten(),
            new Dense(10, "softmax"),
        ], seed);
        network.Compile(new CategoricalCrossEntropy(sparse: true), new Adam(0.01));
        Dataset scaled = scaler.Transform(train);
        network.Fit(scaled.Features, scaled.TargetsFor(network.Loss!, 10), new FitOptions { Epochs = epochs, ShuffleSeed = seed });
        return (new TrainedModel(network, ModelTask.Classification, train.FeatureNames, scaler, train.ClassNames, labelName: train.LabelName), test);
    }
}
