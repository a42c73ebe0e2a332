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
    public void Step_Parallel_AllocatesNothingPerStep()
    {
        int n = 2 * Optimizer.ParallelUpdateMinimum;
        Parameter[] parameters = [new("k", new float[n], Enumerable.Repeat(0.5f, n).ToArray(), IsBias: false)];
        var optimizer = new Adam(0.01, weightDecay: 0.1) { Threads = 2 };
        // Warm-up: a worker that runs a part for the first time may allocate once (type initialisation on that thread),
        // and a step whose parts found the pool busy ran them all on this thread.
        for (int i = 0; i < 3; i++)
        {
            optimizer.Step(parameters);
        }
        // A per-step allocation shows in every window of 3 steps. The runtime itself may allocate once at a moment of
        // its choosing (tier-1 promotion of a method that was not precompiled for this instruction set: 8 KB seen once
        // in CI with DOTNET_EnableHWIntrinsic=0), so one clean window out of five is the criterion.
        var windows = new List<string>();
        for (int window = 0; window < 5; window++)
        {
            // The workers are read first: the first access to the pool may create it, which allocates.
            long workersBefore = WorkerPool.AllocatedBytesOnWorkers();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++)
            {
                optimizer.Step(parameters);
            }
            long onThisThread = GC.GetAllocatedBytesForCurrentThread() - before;
            long onWorkers = WorkerPool.AllocatedBytesOnWorkers() - workersBefore;
            if (onThisThread == 0 && onWorkers == 0)
            {
                return;
            }
            windows.Add($"{onThisThread} B on the calling thread, {onWorkers} B on the workers");
        }
        Assert.Fail("every window of 3 steps allocated: " + string.Join("; ", windows));
    }
}
