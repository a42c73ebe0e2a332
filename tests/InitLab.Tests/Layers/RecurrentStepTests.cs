using InitLab.Kernels;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 22: a training step through every recurrent layer and option (SimpleRNN, LSTM, GRU with and without
/// reset_after, sequences and last state, stacked) gives the same bits on 1 and 2 threads, and allocates nothing once
/// its buffers exist (the measurement of <see cref="ResidualNormAllocationTests"/>: this thread plus the worker pool,
/// smallest of three tries).</summary>
[Collection("Allocation")]
public class RecurrentStepTests
{
    private const int Rows = 32;
    private const int Steps = 6;
    private const int Features = 5;

    /// <summary>Widths large enough that the GEMMs split their tiles over two threads.</summary>
    internal static Sequential Model(int threads) => new(
        [Steps, Features],
        [new SimpleRnn(48, returnSequences: true), new Lstm(40, returnSequences: true), new Gru(36, returnSequences: true, resetAfter: false),
            new Gru(32), new Dense(1)],
        seed: 11) { Threads = threads };

    private static (Tensor X, Tensor Y) Batch() =>
        (LayerReference.NormalTensor(Rows, Steps * Features, 3), LayerReference.NormalTensor(Rows, 1, 4));

    [Fact]
    public void TrainBatch_OneAndTwoThreads_BitIdentical()
    {
        float[] Run(int threads)
        {
            Sequential model = Model(threads);
            model.Compile(LossRegistry.Resolve("mse"), new Adam(1e-2));
            (Tensor x, Tensor y) = Batch();
            for (int i = 0; i < 3; i++)
            {
                model.TrainBatch(x, y);
            }
            return [.. LayerReference.Snapshot(model), .. model.Predict(x).Data];
        }
        float[] one = Run(1), two = Run(2);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(one[i]) == BitConverter.SingleToInt32Bits(two[i]), $"entry {i}: {one[i]} vs {two[i]}");
        }
    }

    [Theory]
    [InlineData(1, "sgd")]
    [InlineData(2, "sgd")]
    [InlineData(1, "adam")]
    [InlineData(2, "adam")]
    public void TrainingStep_RecurrentLayers_AllocatesNothing(int threads, string optimizer)
    {
        Sequential model = Model(threads);
        model.Compile(LossRegistry.Resolve("mse"), optimizer == "sgd" ? new Sgd(0.01, momentum: 0.9) : new Adam(1e-3));
        (Tensor x, Tensor y) = Batch();
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
