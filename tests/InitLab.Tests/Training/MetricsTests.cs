using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Training;

public class MetricsTests
{
    [Fact]
    public void BinaryAccuracy_OneOutput_CountsHandCountedRows()
    {
        // Row by row (threshold 0.5): 0.9→1 = 1 ✓, 0.2→0 = 0 ✓, 0.6→1 ≠ 0 ✗, 0.4→0 = 0 ✓: 3 of 4.
        float[] output = [0.9f, 0.2f, 0.6f, 0.4f];
        float[] target = [1, 0, 0, 0];
        Assert.Equal(3.0, Metrics.CountCorrect(output, target, 4, 1, new BinaryCrossEntropy()));
    }

    [Fact]
    public void BinaryAccuracy_ThreeOutputs_CountsFractionOfEachRow()
    {
        // Row 0: predictions 1,0,1 vs 1,0,0 → 2 of 3; row 1: 0,1,1 vs 0,1,1 → 3 of 3. Keras: mean over the last axis,
        // then over rows → (2/3 + 1) / 2 = 5/6 (the old per-batch integer division gave 5 / 3 = 1 row → 0.5).
        float[] output = [0.9f, 0.1f, 0.7f, 0.2f, 0.8f, 0.6f];
        float[] target = [1, 0, 0, 0, 1, 1];
        double rows = Metrics.CountCorrect(output, target, 2, 3, new BinaryCrossEntropy());
        Assert.Equal(5.0 / 6, rows / 2, 15);
    }

    [Fact]
    public void BinaryAccuracy_FromLogits_ThresholdsAtZero()
    {
        // Logits 0.3 > 0 → 1 ✓ (target 1), −0.1 → 0 ✓, 0.2 → 1 ✗ (target 0), −2 → 0 ✗ (target 1): 2 of 4 outputs of one row = half a row.
        float[] output = [0.3f, -0.1f, 0.2f, -2f];
        float[] target = [1, 0, 0, 1];
        Assert.Equal(0.5, Metrics.CountCorrect(output, target, 1, 4, new BinaryCrossEntropy(fromLogits: true)), 15);
    }

    /// <summary>Every row predicts (1, 0, 1): zero kernel, biases +2, −2, +2 through a sigmoid.</summary>
    private static Sequential ConstantPredictor()
    {
        var model = new Sequential(1, [new Dense(3, "sigmoid", "zeros")], seed: 1);
        model.Parameters[1].Value[0] = 2;
        model.Parameters[1].Value[1] = -2;
        model.Parameters[1].Value[2] = 2;
        model.Compile(new BinaryCrossEntropy(), new Sgd(1e-9));
        return model;
    }

    // Targets against the constant prediction (1, 0, 1), counted by hand: row 0 (1,0,1) 3/3; row 1 (0,0,0) 1/3;
    // row 2 (1,1,1) 2/3; row 3 (0,1,0) 0/3; row 4 (1,0,0) 2/3 → 8 of 15 outputs, accuracy 8/15.
    private static readonly Tensor Targets = new([1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0], 5, 3);
    private static readonly Tensor Inputs = new([0.5f, -1, 2, 0, 1], 5, 1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(256)]
    public void Evaluate_ThreeSigmoidOutputs_UnequalBatches_MatchesHandCount(int batchSize)
    {
        Evaluation evaluation = ConstantPredictor().Evaluate(Inputs, Targets, batchSize);
        Assert.Equal(8.0 / 15, evaluation.Accuracy, 12);
    }

    [Fact]
    public void Fit_ThreeSigmoidOutputs_UnequalBatches_TrainingAccuracyMatchesHandCount()
    {
        // Batches of 2, 2 and 1 rows; a learning rate of 1e-9 cannot flip a prediction with biases ±2.
        History history = ConstantPredictor().Fit(Inputs, Targets, new FitOptions { Epochs = 1, BatchSize = 2 });
        Assert.Equal(8.0 / 15, history.Epochs[0].Accuracy, 12);
    }
}
