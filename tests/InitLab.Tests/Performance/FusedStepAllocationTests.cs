using InitLab.Kernels;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Performance;

/// <summary>The fused paths that W1–W4 do not take (per-tile rows of an elementwise activation, the bias gradient in a
/// non-ReLU Jacobian pass, Adam with L2 and weight decay in one pass) allocate nothing per step either, on 1 and 2 threads.</summary>
[Collection("Allocation")]
public class FusedStepAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStep_TanhGeluAdamWithDecay_AllocatesNothing(int threads)
    {
        var model = new Sequential(200, [new Dense(150, "tanh"), new Dense(130, "gelu"), new Dense(10, "linear")], seed: 2) { Threads = threads };
        foreach (Dense layer in model.Layers)
        {
            layer.FuseForward = true;
        }
        model.Compile(new CategoricalCrossEntropy(sparse: true, fromLogits: true), new Adam(1e-3, weightDecay: 4e-3, l2: 1e-4));
        var rng = new Rng(6);
        var x = new Tensor([.. Enumerable.Range(0, 96 * 200).Select(_ => (float)rng.NextNormal())], 96, 200);
        var y = new Tensor([.. Enumerable.Range(0, 96).Select(_ => (float)rng.NextInt(10))], 96, 1);
        for (int i = 0; i < 3; i++)
        {
            model.TrainBatch(x, y);
        }
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread() + WorkerPool.AllocatedBytesOnWorkers();
            for (int i = 0; i < 3; i++)
            {
                model.TrainBatch(x, y);
            }
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() + WorkerPool.AllocatedBytesOnWorkers() - before);
        }
        Assert.Equal(0, smallest);
    }
}
