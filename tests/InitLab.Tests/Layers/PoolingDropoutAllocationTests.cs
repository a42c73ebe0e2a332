using InitLab.Kernels;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 22: a training step through max, average and global average pooling and dropout allocates nothing
/// once the buffers exist, with SGD and Adam, on 1 and 2 threads (measured as in
/// <see cref="ResidualNormAllocationTests"/>: this thread plus the worker pool, smallest of three tries).</summary>
[Collection("Allocation")]
public class PoolingDropoutAllocationTests
{
    private static Sequential Model(int threads) =>
        new([8, 8, 4], [
            new MaxPool2D(2),
            new AvgPool2D(3, strides: 1, padding: "same"),
            new Dropout(0.25),
            new MaxPool2D(3, strides: 2, padding: "same"),
            new Dropout(0.1),
            new AvgPool2D(2, strides: 1),
            new GlobalAveragePooling2D(),
            new Dense(64, "relu", "he_normal"),
            new Dropout(0.5),
            new Dense(10),
        ], seed: 3) { Threads = threads };

    [Theory]
    [InlineData(1, "sgd")]
    [InlineData(2, "sgd")]
    [InlineData(1, "adam")]
    [InlineData(2, "adam")]
    public void TrainingStep_PoolingAndDropout_AllocatesNothing(int threads, string optimizer)
    {
        Sequential model = Model(threads);
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
