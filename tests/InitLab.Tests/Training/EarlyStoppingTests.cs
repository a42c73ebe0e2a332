using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Training;

/// <summary>
/// Expected epochs are worked out by hand from Keras 3's EarlyStopping.on_epoch_end (keras/src/callbacks/early_stopping.py):
/// wait += 1; on improvement (current − min_delta beats best, min_delta negated in min mode) best = current and wait = 0
/// (only if the baseline is also beaten); otherwise stop when wait ≥ patience and the 0-based epoch is > 0.
/// Values are binary fractions so that "beats by more than min_delta" has no rounding in it.
/// </summary>
public class EarlyStoppingTests
{
    private static Sequential SmallModel()
    {
        var model = new Sequential(2, [new Dense(3, "relu"), new Dense(1, "sigmoid")], seed: 5);
        model.Compile(new BinaryCrossEntropy(), new Sgd(0.1));
        return model;
    }

    /// <summary>Feeds the callback one epoch per value, the way Fit does, with every weight set to the epoch number so that
    /// the restored epoch can be read off the weights.</summary>
    private static History Drive(EarlyStopping stopper, double[] values, bool accuracy = false, Sequential? model = null)
    {
        model ??= SmallModel();
        var history = new History();
        stopper.OnTrainBegin(model);
        for (int epoch = 1; epoch <= values.Length; epoch++)
        {
            foreach (Parameter p in model.Parameters)
            {
                Array.Fill(p.Value, epoch);
            }
            var metrics = accuracy
                ? new EpochMetrics(epoch, 1.0, values[epoch - 1], null, null)
                : new EpochMetrics(epoch, values[epoch - 1], double.NaN, null, null);
            history.Epochs.Add(metrics);
            var context = new EpochContext(model, metrics);
            stopper.OnEpochEnd(context);
            if (context.StopTraining)
            {
                history.StoppedEpoch = epoch;
                break;
            }
        }
        stopper.OnTrainEnd(model, history);
        return history;
    }

    [Fact]
    public void Patience2_StopsWhenWaitReachesPatience()
    {
        // 1: best 1.0. 2: best 0.75. 3: wait 1. 4: wait 2 >= 2 → stop (the old "wait > patience" stopped at 5).
        History h = Drive(new EarlyStopping(patience: 2, monitor: "loss"), [1.0, 0.75, 0.875, 0.875, 0.9375, 0.5]);
        Assert.Equal(4, h.StoppedEpoch);
        Assert.Equal(4, h.EarlyStopping!.StoppedEpoch);
        Assert.Equal(2, h.EarlyStopping.BestEpoch);
        Assert.Equal(0.75, h.EarlyStopping.BestValue);
        Assert.Equal(2, h.EarlyStopping.EpochsWithoutImprovement);
        Assert.Null(h.RestoredEpoch);
    }

    [Fact]
    public void Patience0_StopsAtTheFirstEpochWithoutImprovement()
    {
        History h = Drive(new EarlyStopping(patience: 0, monitor: "loss"), [1.0, 0.5, 0.5, 0.25]);
        Assert.Equal(3, h.StoppedEpoch);
    }

    [Fact]
    public void FirstEpoch_NeverStops_EvenWithNaN()
    {
        // NaN is never an improvement; epoch 1 (Keras's epoch 0) cannot stop, epoch 2 does (wait 2 >= 0).
        History h = Drive(new EarlyStopping(patience: 0, monitor: "loss", restoreBestWeights: true), [double.NaN, double.NaN, 1.0]);
        Assert.Equal(2, h.StoppedEpoch);
        Assert.Equal(1, h.RestoredEpoch);
    }

    [Theory]
    [InlineData(0.125, 2)] // 0.875 + 0.125 < 1.0 is false: not an improvement → wait 1 >= 1 → stop at 2
    [InlineData(-0.125, 2)] // Keras takes |min_delta|
    [InlineData(0.0625, null)] // 0.875 + 0.0625 < 1.0: improvement; 0.75 + 0.0625 < 0.875: improvement
    public void MinDelta_ImprovementMustExceedIt(double minDelta, int? stoppedEpoch)
    {
        History h = Drive(new EarlyStopping(patience: 1, minDelta: minDelta, monitor: "loss"), [1.0, 0.875, 0.75]);
        Assert.Equal(stoppedEpoch, h.StoppedEpoch);
    }

    [Theory]
    [InlineData(EarlyStoppingMode.Auto, 4, 2)] // accuracy: higher is better; best 0.625 at 2, wait 2 at 4
    [InlineData(EarlyStoppingMode.Max, 4, 2)]
    [InlineData(EarlyStoppingMode.Min, 3, 1)] // lower is better: 0.5 stays best, wait 2 at 3
    public void Mode_DecidesTheDirection(EarlyStoppingMode mode, int stoppedEpoch, int bestEpoch)
    {
        History h = Drive(new EarlyStopping(patience: 2, monitor: "accuracy", mode: mode), [0.5, 0.625, 0.625, 0.5625, 0.75], accuracy: true);
        Assert.Equal(stoppedEpoch, h.StoppedEpoch);
        Assert.Equal(bestEpoch, h.EarlyStopping!.BestEpoch);
    }

    [Fact]
    public void Baseline_NotBeaten_CounterKeepsRunningThroughImprovements()
    {
        // Baseline 0.5 is never beaten, so wait is never reset: 1, 2, 3 improve (no stop check), 4 does not → 4 >= 2 stop.
        History withBaseline = Drive(new EarlyStopping(patience: 2, monitor: "loss", baseline: 0.5), [1.0, 0.875, 0.75, 0.8125, 0.25]);
        Assert.Equal(4, withBaseline.StoppedEpoch);
        History without = Drive(new EarlyStopping(patience: 2, monitor: "loss"), [1.0, 0.875, 0.75, 0.8125, 0.25]);
        Assert.Null(without.StoppedEpoch);
    }

    [Fact]
    public void StartFromEpoch_SkipsWarmUpEpochs()
    {
        // Epochs 1–2 are not monitored; 3 sets the best (3.0), 4 improves: no stop, although 2 > 1 would stop patience 0.
        History h = Drive(new EarlyStopping(patience: 0, monitor: "loss", startFromEpoch: 2), [1.0, 2.0, 3.0, 2.5]);
        Assert.Null(h.StoppedEpoch);
        Assert.Equal(4, h.EarlyStopping!.BestEpoch);
        Assert.Equal(2, Drive(new EarlyStopping(patience: 0, monitor: "loss"), [1.0, 2.0, 3.0, 2.5]).StoppedEpoch);
    }

    [Fact]
    public void RestoreBestWeights_NeverStops_StillRestoresTheBestEpoch()
    {
        // Keras 3 restores at the end of training whether or not it stopped early.
        var model = SmallModel();
        History h = Drive(new EarlyStopping(patience: 10, monitor: "loss", restoreBestWeights: true), [1.0, 0.5, 0.75], model: model);
        Assert.Null(h.StoppedEpoch);
        Assert.Equal(2, h.RestoredEpoch);
        Assert.All(model.Parameters, p => Assert.All(p.Value, v => Assert.Equal(2f, v)));
    }

    [Fact]
    public void RestoreBestWeights_AfterStop_PutsBackTheBestEpoch()
    {
        var model = SmallModel();
        History h = Drive(new EarlyStopping(patience: 2, monitor: "loss", restoreBestWeights: true), [1.0, 0.5, 0.75, 0.75, 0.25], model: model);
        Assert.Equal(4, h.StoppedEpoch);
        Assert.Equal(2, h.RestoredEpoch);
        Assert.Equal(2, h.EarlyStopping!.RestoredEpoch);
        Assert.All(model.Parameters, p => Assert.All(p.Value, v => Assert.Equal(2f, v)));
    }

    [Fact]
    public void ValLossWithoutValidationData_MonitorsLossAndSaysSo()
    {
        History h = Drive(new EarlyStopping(patience: 1), [1.0, 1.0]);
        Assert.Equal("loss", h.EarlyStopping!.Monitor);
        Assert.Equal(2, h.StoppedEpoch);
    }

    [Fact]
    public void Reused_SecondFitStartsFromScratch()
    {
        var stopper = new EarlyStopping(patience: 1, monitor: "loss");
        Assert.Equal(2, Drive(stopper, [0.25, 0.5]).StoppedEpoch);
        // A best of 0.25 carried over would stop this run at epoch 2 as well.
        Assert.Null(Drive(stopper, [1.0, 0.75]).StoppedEpoch);
    }

    [Theory]
    [InlineData(-1, 0.0, "loss", "patience")]
    [InlineData(1, double.NaN, "loss", "minDelta")]
    [InlineData(1, 0.0, "val_los", "monitor")]
    public void Constructor_BadArgument_NamesIt(int patience, double minDelta, string monitor, string parameter)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new EarlyStopping(patience, minDelta, monitor));
        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void MonitorAccuracy_LossWithoutAccuracy_Explains()
    {
        var model = new Sequential(2, [new Dense(1)], seed: 1);
        model.Compile(new MeanSquaredError(), new Sgd(0.1));
        var ex = Assert.Throws<InvalidOperationException>(() => new EarlyStopping(monitor: "val_accuracy").OnTrainBegin(model));
        Assert.Contains("needs an accuracy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ValLossStalls_StopsPatienceEpochsAfterTheBest_AndRestoresItsWeightsBitExact()
    {
        Dataset data = SyntheticData.Moons(200, 0.3, 3);
        var model = new Sequential(2, [new Dense(32, "relu", "he_normal"), new Dense(1, "sigmoid")], seed: 4);
        model.Compile(new BinaryCrossEntropy(), new Adam(0.05));
        var recorder = new WeightRecorder();
        const int patience = 3;
        History h = model.Fit(data.Features, data.TargetsFor(model.Loss!, 1), new FitOptions
        {
            Epochs = 300,
            BatchSize = 16,
            ValidationSplit = 0.5,
            Callbacks = [recorder, new EarlyStopping(patience: patience, restoreBestWeights: true)],
        });
        // The best epoch from the recorded val_loss, independently: the first strict minimum.
        int best = 1;
        for (int e = 2; e <= h.Epochs.Count; e++)
        {
            if (h.Epochs[e - 1].ValidationLoss < h.Epochs[best - 1].ValidationLoss)
            {
                best = e;
            }
        }
        Assert.True(h.StoppedEarly);
        Assert.Equal(best + patience, h.StoppedEpoch);
        Assert.Equal(h.Epochs.Count, h.StoppedEpoch);
        Assert.Equal(best, h.RestoredEpoch);
        Assert.Equal("val_loss", h.EarlyStopping!.Monitor);
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            Assert.Equal(recorder.Weights[best - 1][i], model.Parameters[i].Value);
        }
        Assert.NotEqual(recorder.Weights[^1][0], model.Parameters[0].Value);
    }

    private sealed class WeightRecorder : TrainingCallback
    {
        public List<float[][]> Weights { get; } = [];

        public override void OnEpochEnd(EpochContext context) =>
            Weights.Add([.. context.Model.Parameters.Select(p => (float[])p.Value.Clone())]);
    }
}
