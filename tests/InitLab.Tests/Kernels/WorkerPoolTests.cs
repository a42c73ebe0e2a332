using InitLab.Kernels;

namespace InitLab.Tests.Kernels;

[Collection("Allocation")]
public class WorkerPoolTests
{
    [Fact]
    public void AllocatedBytesOnWorkers_SeesAnAllocationMadeOnAWorker_AndTheCallerDoesNot()
    {
        var work = new AllocateOnPart(part: 1, bytes: 4096);
        WorkerPool.Run(work, 2); // creates the worker outside the measurement
        long workersBefore = WorkerPool.AllocatedBytesOnWorkers();
        long callerBefore = GC.GetAllocatedBytesForCurrentThread();
        WorkerPool.Run(work, 2);
        long callerDelta = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
        long workersDelta = WorkerPool.AllocatedBytesOnWorkers() - workersBefore;
        Assert.True(work.RanOnAnotherThread, "part 1 ran inline; the pool was busy");
        Assert.InRange(workersDelta, 4096, 4096 + 64);
        Assert.Equal(0, callerDelta);
    }

    [Fact]
    public void AllocatedBytesOnWorkers_NothingAllocated_DoesNotMove()
    {
        var work = new AllocateOnPart(part: -1, bytes: 0);
        WorkerPool.Run(work, 2);
        long before = WorkerPool.AllocatedBytesOnWorkers();
        for (int i = 0; i < 10; i++)
        {
            WorkerPool.Run(work, 2);
        }
        Assert.Equal(before, WorkerPool.AllocatedBytesOnWorkers());
    }

    private sealed class AllocateOnPart(int part, int bytes) : ParallelWork
    {
        private readonly int _callerThread = Environment.CurrentManagedThreadId;

        public bool RanOnAnotherThread { get; private set; }

        public byte[]? Kept { get; private set; }

        public override void Execute(int index, int count)
        {
            if (index == part)
            {
                RanOnAnotherThread = Environment.CurrentManagedThreadId != _callerThread;
                Kept = new byte[bytes - 24];
            }
        }
    }
}
