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

    [Fact]
    public void Run_NestedInsideAPartOnTheCallingThread_RunsTheInnerPartsInline_AndTheOuterRegionCompletes()
    {
        // Part 1 (on the worker) waits until part 0's nested region is over. If the nested Run took the pool again
        // (the gate is re-entrant), it would reset the outer region's countdown and hand its part 1 to that same busy
        // worker: the outer Run returns before part 1 is done (seen: this test failing in 1 ms), and the pool's state
        // is corrupt afterwards.
        var inner = new RecordParts(2);
        using var outer = new NestingWork(inner);
        WorkerPool.Run(outer, 2);
        Assert.True(outer.WorkerSawInnerDone, "part 1 timed out waiting for the nested region");
        Assert.Equal([1, 1], inner.Runs);
        Assert.Equal([outer.CallerThread, outer.CallerThread], inner.Threads);
    }

    private sealed class RecordParts(int count) : ParallelWork
    {
        public int[] Runs { get; } = new int[count];

        public int[] Threads { get; } = new int[count];

        public override void Execute(int index, int count)
        {
            Interlocked.Increment(ref Runs[index]);
            Threads[index] = Environment.CurrentManagedThreadId;
        }
    }

    private sealed class NestingWork(RecordParts inner) : ParallelWork, IDisposable
    {
        private readonly ManualResetEventSlim _innerDone = new(false);

        public int CallerThread { get; } = Environment.CurrentManagedThreadId;

        public bool WorkerSawInnerDone { get; private set; }

        public override void Execute(int index, int count)
        {
            if (index == 0)
            {
                WorkerPool.Run(inner, 2);
                _innerDone.Set();
            }
            else
            {
                WorkerSawInnerDone = _innerDone.Wait(TimeSpan.FromSeconds(5));
            }
        }

        public void Dispose() => _innerDone.Dispose();
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
