using InitLab.Data;
using InitLab.Experiments;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Models;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.TestUtilities;

/// <summary>Small networks on image rows (channels-last [H, W, C]) with every pooling option the model file, .npz and
/// ONNX must carry: rectangular windows and strides, "same" padding whose odd total puts the extra row below and the
/// extra column right, "valid" padding that drops a trailing column, a residual block added in NCHW, dropout, global
/// average pooling, and more than one channel, so a channel-order slip changes the output.</summary>
internal static class ImageNets
{
    /// <summary>Rows of shape [6, 5, 3] into 4 softmax outputs.</summary>
    public static Sequential Pooled(ulong seed) => new([6, 5, 3], [
        new MaxPool2D(2, 3, 1, 2, "same"),            // [6, 3, 3]: pads top 0, bottom 1, left 1, right 1
        new ScalarBias(0.3f),
        new Residual([new ActivationLayer("tanh"), new AvgPool2D(3, strides: 1, padding: "same")]),
        new AvgPool2D(2, strides: 2, padding: "valid"), // [3, 1, 3]: the third column is dropped
        new Dropout(0.3),
        new Dense(8, "relu", "he_normal", "random_normal"),
        new Dense(4, "softmax"),
    ], seed);

    /// <summary>Rows of shape [6, 5, 3]: "same" average pooling with an odd column padding, then global average pooling.</summary>
    public static Sequential GlobalPooled(ulong seed) => new([6, 5, 3], [
        new AvgPool2D(2, padding: "same"),             // [3, 3, 3]: pads right 1
        new ActivationLayer("relu"),
        new GlobalAveragePooling2D(),
        new Dense(2, "linear", "glorot_uniform", "random_normal"),
    ], seed);

    /// <summary>Rows of shape [6, 5, 3] whose output is a pooled image flattened (the graph's output leaves NCHW).</summary>
    public static Sequential EndsInPooling(ulong seed) => new([6, 5, 3], [new MaxPool2D(2), new Dropout(0.5)], seed);

    /// <summary>Uniform rows in [−2, 2).</summary>
    public static Tensor Inputs(int rows, int width, ulong seed)
    {
        var rng = new InitLab.Random.Rng(seed);
        var data = new float[rows * width];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(4 * rng.NextDouble() - 2);
        }
        return new Tensor(data, rows, width);
    }

    /// <summary>The digits as 8×8×1 images through max pooling, a residual block of "same" pooling, dropout and a dense
    /// head, trained for <paramref name="epochs"/> (dropout active) and wrapped with its scaler and class names.</summary>
    public static (TrainedModel Model, Dataset Test) TrainOnDigits(int epochs, ulong seed)
    {
        (Dataset train, Dataset test) = DataSource.LoadRaw("digits", new DataOptions { Seed = seed });
        Scaler scaler = Scaler.FitStandard(train.Features);
        var network = new Sequential([8, 8, 1], [
            new Residual([new MaxPool2D(3, strides: 1, padding: "same"), new ActivationLayer("relu")], alpha: 0.5f),
            new AvgPool2D(2),
            new Dropout(0.25),
            new Dense(32, "relu", "he_normal"),
            new Dropout(0.1),
            new Dense(10, "softmax"),
        ], seed);
        network.Compile(new CategoricalCrossEntropy(sparse: true), new Adam(0.01));
        Dataset scaled = scaler.Transform(train);
        network.Fit(scaled.Features, scaled.TargetsFor(network.Loss!, 10), new FitOptions { Epochs = epochs, ShuffleSeed = seed });
        return (new TrainedModel(network, ModelTask.Classification, train.FeatureNames, scaler, train.ClassNames, labelName: train.LabelName), test);
    }
}
