using InitLab.Kernels;
using InitLab.Optimizers;

namespace InitLab.Tests.Optimizers;

/// <summary>
/// The parallel update allocates nothing after the first step, on the calling thread or the workers. In the
/// non-parallel "Allocation" collection: a test of another class running at the same time would put its own parts
/// (and the one-time allocations of a worker's first part of a new kernel type) into the workers' counters.
/// </summary>
[Collection("Allocation")]
public class ParallelUpdateAllocationTests
{
    [Fact]
    public void Step_Parallel_AllocatesNothingAfterTheFirst()
    {
        int n = 2 * Optimizer.ParallelUpdateMinimum;
        Parameter[] parameters = [new("k", new float[n], Enumerable.Repeat(0.5f, n).ToArray(), IsBias: false)];
        var optimizer = new Adam(0.01, weightDecay: 0.1) { Threads = 2 };
        optimizer.Step(parameters);
        // The workers are read first: the first access to the pool may create it, which allocates.
        long workersBefore = WorkerPool.AllocatedBytesOnWorkers();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            optimizer.Step(parameters);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before + (WorkerPool.AllocatedBytesOnWorkers() - workersBefore);
        Assert.Equal(0, allocated);
    }
}
