using InitLab.Kernels;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 21: a training step of a residual model with batch and layer normalization, a trained α, a projection
/// shortcut, an activation layer and a scalar bias allocates nothing once its buffers exist, with SGD and Adam, on 1 and
/// 2 threads (the same measurement as the Dense workloads': this thread plus the worker pool, smallest of three tries).</summary>
[Collection("Allocation")]
public class ResidualNormAllocationTests
{
    [Theory]
    [InlineData(1, "sgd")]
    [InlineData(2, "sgd")]
    [InlineData(1, "adam")]
    [InlineData(2, "adam")]
    public void TrainingStep_ResidualWithNormalization_AllocatesNothing(int threads, string optimizer)
    {
        Sequential model = ResidualNormDeterminismTests.Model(threads);
        model.Compile(new CategoricalCrossEntropy(sparse: true, fromLogits: true), optimizer == "sgd" ? new Sgd(0.01, momentum: 0.9) : new Adam(1e-3));
        Tensor x = LayerReference.NormalTensor(64, model.InputDim, 3);
        Tensor y = new([.. Enumerable.Range(0, 64).Select(i => (float)(i % 10))], 64, 1);
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
