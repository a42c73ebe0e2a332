using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 21, <see cref="PassMode"/>: looking at a model (Forward, Backward, ComputeGradients, InputGradient, Predict,
/// Evaluate, validation inside Fit) never moves batch normalization's running statistics; training does; prediction and
/// evaluation use them.
/// </summary>
public class PassModeTests
{
    private const int Rows = 40;
    private const int Inputs = 5;

    private static Sequential Model() =>
        new(Inputs, [new Dense(8, "tanh", "glorot_normal", "random_normal"), new BatchNormalization(momentum: 0.9),
            new Residual([new BatchNormalization(), new Dense(8, "tanh")], alpha: 0.5f, trainableAlpha: true), new Dense(2)], seed: 4) { Threads = 1 };

    private static BatchNormalization[] Norms(Sequential model) => [.. model.AllLayers.OfType<BatchNormalization>()];

    private static float[] RunningStatistics(Sequential model) =>
        [.. Norms(model).SelectMany(bn => bn.MovingMean.ToArray().Concat(bn.MovingVariance.ToArray()))];

    [Fact]
    public void Measurements_NeverMoveRunningStatistics()
    {
        Sequential model = Model();
        model.Compile(new MeanSquaredError(), new Sgd(0.05));
        Tensor x = LayerReference.NormalTensor(Rows, Inputs, 5, shift: 0.7);
        Tensor y = LayerReference.NormalTensor(Rows, 2, 6);
        model.TrainBatch(x, y);
        float[] before = RunningStatistics(model);
        Assert.Contains(before, v => v != 0 && v != 1);

        Tensor output = model.Forward(x);
        model.Backward(output);
        model.VectorJacobianProduct(x, output);
        model.ComputeGradients(x, y);
        model.InputGradient(x, y);
        model.Predict(x, batchSize: 7);
        model.Evaluate(x, y, batchSize: 9);

        Assert.Equal(before, RunningStatistics(model));
    }

    [Fact]
    public void Fit_MovesRunningStatistics_ValidationDoesNot()
    {
        Tensor x = LayerReference.NormalTensor(Rows, Inputs, 7, shift: 0.7);
        Tensor y = LayerReference.NormalTensor(Rows, 2, 8);
        Tensor valX = LayerReference.NormalTensor(10, Inputs, 9, scale: 3, shift: -2);
        Tensor valY = LayerReference.NormalTensor(10, 2, 10);
        float[] Train(bool validate)
        {
            Sequential model = Model();
            model.Compile(new MeanSquaredError(), new Adam(1e-2));
            model.Fit(x, y, new FitOptions { Epochs = 3, BatchSize = 8, ShuffleSeed = 3, ValidationX = validate ? valX : null, ValidationY = validate ? valY : null });
            return RunningStatistics(model);
        }
        float[] initial = RunningStatistics(Model());
        float[] plain = Train(validate: false);
        Assert.NotEqual(initial, plain);
        Assert.Equal(plain, Train(validate: true));
    }

    /// <summary>After training, Predict and Evaluate equal the network written out in double with the running
    /// statistics (float32 against double: 1e-5 relative), and differ from the batch-statistics pass.</summary>
    [Fact]
    public void PredictAndEvaluate_AfterFit_UseRunningStatistics()
    {
        Sequential model = Model();
        model.Compile(new MeanSquaredError(), new Adam(1e-2));
        Tensor x = LayerReference.NormalTensor(Rows, Inputs, 11, shift: 0.7);
        Tensor y = LayerReference.NormalTensor(Rows, 2, 12);
        model.Fit(x, y, new FitOptions { Epochs = 4, BatchSize = 8, ShuffleSeed = 1 });

        double[] expected = LayerReference.Forward(model, LayerReference.ToDouble(x.Data), Rows, PassMode.Infer);
        double[] batchStatistics = LayerReference.Forward(model, LayerReference.ToDouble(x.Data), Rows, PassMode.Probe);
        float[] predicted = model.Predict(x, batchSize: 16).Data;
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - predicted[i]) < 1e-5 * scale, $"prediction {i}: {predicted[i]} vs {expected[i]}");
        }

        double handLoss = expected.Zip(y.Data, (p, t) => (p - t) * (p - t)).Sum() / expected.Length;
        double batchLoss = batchStatistics.Zip(y.Data, (p, t) => (p - t) * (p - t)).Sum() / expected.Length;
        double evaluated = model.Evaluate(x, y, batchSize: 16).Loss;
        Assert.True(Math.Abs(evaluated - handLoss) < 1e-5 * handLoss, $"Evaluate {evaluated} vs hand {handLoss}");
        // The running statistics are not the batch's: the mode matters here, so the test can tell them apart.
        Assert.True(Math.Abs(batchLoss - handLoss) > 1e-3 * handLoss, $"batch statistics {batchLoss} vs running {handLoss}");
    }
}
