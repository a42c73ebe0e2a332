using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 22, sanity: a small LSTM (Keras defaults) learns the adding problem at T = 10 — the test MSE ends far
/// below <see cref="AddingProblem.ConstantBaselineMse"/> = 1/6, what predicting the mean target 1 gives — in a few
/// hundred Adam steps, over three seeds. Measured: test MSE 0.0025–0.0032 after 400 steps (seeds 1–3), so the bound of a
/// tenth of the baseline (0.0167) leaves a factor of 5; an LSTM that failed to remember would sit near 1/6.</summary>
public class LstmAddingProblemTests
{
    private const int Steps = 10;

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Lstm_AddingProblemT10_MseFarBelowConstantBaseline(ulong seed)
    {
        var rng = new Rng(seed);
        Dataset train = AddingProblem.Generate(4096, Steps, rng.Fork(0));
        Dataset test = AddingProblem.Generate(1024, Steps, rng.Fork(1));
        var model = new Sequential(AddingProblem.InputShape(Steps), [new Lstm(16), new Dense(1)], seed) { Threads = 1 };
        model.Compile(LossRegistry.Resolve("mse"), new Adam(1e-2));
        const int batch = 64, updates = 400;
        int width = Steps * 2;
        var x = new float[batch * width];
        var y = new float[batch];
        for (int step = 0; step < updates; step++)
        {
            int start = step * batch % train.Features.Shape[0];
            train.Features.Data.AsSpan(start * width, batch * width).CopyTo(x);
            train.RegressionTargets!.Data.AsSpan(start, batch).CopyTo(y);
            model.TrainBatch(new Tensor(x, batch, width), new Tensor(y, batch, 1));
        }
        float[] prediction = model.Predict(test.Features).Data;
        double mse = prediction.Zip(test.RegressionTargets!.Data, (p, t) => (double)(p - t) * (p - t)).Average();
        double baseline = test.RegressionTargets.Data.Average(t => (t - 1.0) * (t - 1.0));
        Assert.True(mse < 0.1 * AddingProblem.ConstantBaselineMse, $"seed {seed}: test MSE {mse} after {updates} steps (predicting 1 gives {baseline})");
    }
}
