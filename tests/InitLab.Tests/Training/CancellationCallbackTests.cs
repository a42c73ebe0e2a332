using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Training;

public class CancellationCallbackTests
{
    [Fact]
    public void Fit_TokenCancelledDuringThirdBatch_StopsRightAfterIt()
    {
        Dataset data = SyntheticData.Moons(400, 0.1, 3);
        var model = new Sequential(2, [new Dense(8, "relu", "he_normal"), new Dense(1, "sigmoid")], seed: 4);
        model.Compile(new BinaryCrossEntropy(), new Adam(0.01));
        Tensor y = data.TargetsFor(model.Loss!, 1);
        using var interrupt = new CancellationTokenSource();
        var counter = new CancelAtBatch(interrupt, cancelAfter: 3);
        var options = new FitOptions { Epochs = 5, BatchSize = 32, Callbacks = [counter, new CancellationCallback(interrupt.Token)] };
        Assert.Throws<OperationCanceledException>(() => model.Fit(data.Features, y, options));
        Assert.Equal(3, counter.Batches);
    }

    [Fact]
    public void Fit_AlreadyCancelled_NoUpdateAtAll()
    {
        Dataset data = SyntheticData.Moons(100, 0.1, 3);
        var model = new Sequential(2, [new Dense(1, "sigmoid")], seed: 4);
        model.Compile(new BinaryCrossEntropy(), new Sgd(0.1));
        float[] before = model.Parameters[0].Value.ToArray();
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            model.Fit(data.Features, data.TargetsFor(model.Loss!, 1), new FitOptions { Epochs = 1, Callbacks = [new CancellationCallback(interrupt.Token)] }));
        Assert.Equal(before, model.Parameters[0].Value.ToArray());
    }

    private sealed class CancelAtBatch(CancellationTokenSource interrupt, int cancelAfter) : TrainingCallback
    {
        public int Batches { get; private set; }

        public override void OnBatchEnd(BatchContext context)
        {
            if (++Batches == cancelAfter)
            {
                interrupt.Cancel();
            }
        }
    }
}
