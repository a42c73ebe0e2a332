using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Training;

public class TrainingControlTests
{
    private static (Sequential Model, Tensor X, Tensor Y) Blobs()
    {
        Dataset data = SyntheticData.Blobs(100, 3, 2, 1.0, 4);
        var model = new Sequential(2, [new Dense(16, "tanh", "glorot_uniform"), new Dense(3, "softmax")], seed: 2);
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd(0.1));
        return (model, data.Features, data.TargetsFor(model.Loss!, 3));
    }

    private sealed class StopAtStep(long step) : TrainingCallback
    {
        public List<(double Loss, double Accuracy, int Rows)> Seen { get; } = [];

        public override void OnBatchEnd(BatchContext context)
        {
            Seen.Add((context.Loss, context.Accuracy, context.Rows));
            context.StopTraining = context.Step == step;
        }
    }

    [Fact]
    public void Fit_CallbackStopsMidEpoch_TakesExactlyThatManyStepsAndClosesTheEpochOverTheRowsSeen()
    {
        var (model, x, y) = Blobs();
        var stop = new StopAtStep(6);
        History history = model.Fit(x, y, new FitOptions { Epochs = 5, BatchSize = 10, RecordStepLosses = true, Callbacks = [stop] });
        Assert.Equal(7, history.Steps);
        Assert.Single(history.Epochs);
        Assert.True(history.StoppedEarly);
        Assert.Equal(1, history.StoppedEpoch);
        // Seven full batches of 10 rows: the epoch loss is the plain mean of the seven step losses.
        Assert.Equal(history.StepLosses!.Average(), history.Epochs[0].Loss, 1e-12);
        double accuracy = stop.Seen.Sum(s => s.Accuracy * s.Rows) / 70;
        Assert.Equal(accuracy, history.Epochs[0].Accuracy, 1e-12);
    }

    [Fact]
    public void Fit_RecordStepLosses_KeepsOneLossPerStepEqualToTheCallbacks()
    {
        var (model, x, y) = Blobs();
        var watch = new StopAtStep(-1);
        History history = model.Fit(x, y, new FitOptions { Epochs = 3, BatchSize = 32, RecordStepLosses = true, Callbacks = [watch] });
        // 100 rows in batches of 32: 4 steps per epoch (32, 32, 32, 4).
        Assert.Equal(12, history.StepLosses!.Count);
        Assert.Equal(watch.Seen.Select(s => s.Loss), history.StepLosses);
        Assert.Equal([32, 32, 32, 4], watch.Seen.Take(4).Select(s => s.Rows));
        Assert.All(watch.Seen, s => Assert.InRange(s.Accuracy, 0, 1));
        Assert.False(history.StoppedEarly);
    }

    [Fact]
    public void Fit_WithoutRecordStepLosses_StepLossesIsNull()
    {
        var (model, x, y) = Blobs();
        Assert.Null(model.Fit(x, y, new FitOptions { Epochs = 1 }).StepLosses);
    }

    [Fact]
    public void Split_ExactTestRows_GivesThoseSizesAndTheFractionOverloadsOrder()
    {
        Dataset digits = BuiltInData.Load("digits");
        var (train, test) = digits.Split(testRows: 360);
        Assert.Equal(360, test.Rows);
        Assert.Equal(digits.Rows - 360, train.Rows);
        // 0.2 × 1797 = 359.4 → 359 rows: the same shuffled order as Split(359, seed).
        var (_, byFraction) = digits.Split(0.2, 5);
        var (_, byCount) = digits.Split(359, 5);
        Assert.Equal(byFraction.Features.Data, byCount.Features.Data);
        Assert.Equal(byFraction.Labels, byCount.Labels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1797)]
    public void Split_TestRowsOutOfRange_NamesTheValidRange(int rows)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInData.Load("digits").Split(testRows: rows));
        Assert.Equal("testRows", ex.ParamName);
        Assert.Contains("between 1 and 1796", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DivideBy_DigitsBySixteen_MapsZeroToSixteenOntoZeroToOne()
    {
        Dataset digits = BuiltInData.Load("digits");
        Dataset scaled = FeatureTransforms.Apply(digits, x => FeatureTransforms.DivideBy(x, 16));
        for (int i = 0; i < digits.Features.Length; i++)
        {
            Assert.Equal(digits.Features.Data[i] / 16.0, scaled.Features.Data[i], 1e-7);
        }
        Assert.Equal(1f, scaled.Features.Data.Max());
        Assert.Equal(digits.Labels, scaled.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureTransforms.DivideBy(digits.Features, 0));
    }

    [Fact]
    public void NormalizeRows_EveryRowHasMeanSquareOne_AndAZeroRowStaysZero()
    {
        var x = new Tensor([3, 4, 0, 0, 1, -1, 2, 0, 0, 0, 0, 0], 3, 4);
        Tensor y = FeatureTransforms.NormalizeRowsToUnitMeanSquare(x);
        // Row 0: mean square (9 + 16)/4 = 6.25 → divide by 2.5.
        Assert.Equal([1.2f, 1.6f, 0, 0], y.Data[..4]);
        double rowOne = y.Data[4..8].Sum(v => (double)v * v) / 4;
        Assert.Equal(1, rowOne, 1e-6);
        Assert.Equal([0f, 0, 0, 0], y.Data[8..]);
    }
}
