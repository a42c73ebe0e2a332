namespace InitLab.Kernels;

/// <summary>A unit of work split into <c>count</c> parts; part <c>index</c> runs on one thread.</summary>
internal abstract class ParallelWork
{
    /// <summary>Runs part <paramref name="index"/> of <paramref name="count"/>.</summary>
    public abstract void Execute(int index, int count);
}

/// <summary>
/// Persistent background threads for kernels: no task or delegate is allocated per call, so a training step stays
/// allocation-free. One parallel region runs at a time; a caller that finds the pool busy (another thread's region, or
/// its own when a part starts a region) runs its parts inline, which gives the same result because the parts are
/// independent. A GEMM must still not be started from inside a GEMM's part: its packing buffers are per thread.
/// </summary>
internal static class WorkerPool
{
    private static readonly Lock s_gate = new();
    private static readonly CountdownEvent s_done = CreateDoneEvent();
    private static Worker[] s_workers = [];
    private static Exception? s_failure;

    public static void Run(ParallelWork work, int count)
    {
        // A region started from inside a part of this thread's own region runs inline too: the gate is re-entrant, so
        // TryEnter would succeed and hand the inner parts to workers that are still running the outer ones.
        if (count <= 1 || s_gate.IsHeldByCurrentThread || !s_gate.TryEnter())
        {
            for (int i = 0; i < count; i++)
            {
                work.Execute(i, count);
            }
            return;
        }
        try
        {
            EnsureWorkers(count - 1);
            s_failure = null;
            s_done.Reset(count - 1);
            for (int i = 1; i < count; i++)
            {
                s_workers[i - 1].Start(work, i, count);
            }
            try
            {
                work.Execute(0, count);
            }
            finally
            {
                s_done.Wait();
            }
            if (s_failure is not null)
            {
                throw new AggregateException("A parallel kernel part failed.", s_failure);
            }
        }
        finally
        {
            s_gate.Exit();
        }
    }

    /// <summary>
    /// Bytes the worker threads have allocated while running parts, summed over the workers (each measures its own
    /// <see cref="GC.GetAllocatedBytesForCurrentThread"/> around every part). With the calling thread's count this
    /// measures exactly what a parallel region allocates, unlike the process-wide count, which also sees the test
    /// host's threads.
    /// </summary>
    /// <returns>The sum over the workers.</returns>
    public static long AllocatedBytesOnWorkers()
    {
        long sum = 0;
        foreach (Worker worker in s_workers)
        {
            sum += worker.AllocatedBytes;
        }
        return sum;
    }

    /// <summary>The event the caller waits on. Its first blocking wait would allocate the event's lock object, inside
    /// some training step; one timed-out 1 ms wait here creates it up front.</summary>
    private static CountdownEvent CreateDoneEvent()
    {
        var done = new CountdownEvent(1);
        done.Wait(1);
        return done;
    }

    private static void EnsureWorkers(int needed)
    {
        if (s_workers.Length >= needed)
        {
            return;
        }
        var grown = new Worker[needed];
        Array.Copy(s_workers, grown, s_workers.Length);
        for (int i = s_workers.Length; i < needed; i++)
        {
            grown[i] = new Worker(i);
        }
        s_workers = grown;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Workers live for the whole process; the event is never released early.")]
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _start = new(false, spinCount: 2000);
        private ParallelWork? _work;
        private int _index;
        private int _count;
        private long _allocatedBytes;

        public Worker(int id)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"InitLab kernel worker {id}" };
            thread.Start();
        }

        /// <summary>Bytes this thread allocated inside parts, published before it signals that its part is done.</summary>
        public long AllocatedBytes => Volatile.Read(ref _allocatedBytes);

        public void Start(ParallelWork work, int index, int count)
        {
            _work = work;
            _index = index;
            _count = count;
            _start.Set();
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    _work!.Execute(_index, _count);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    s_failure = ex;
                }
                finally
                {
                    _work = null;
                    // Only the part itself counts: the event's lazily created lock (first blocking wait) is not the caller's.
                    Volatile.Write(ref _allocatedBytes, _allocatedBytes + GC.GetAllocatedBytesForCurrentThread() - before);
                    s_done.Signal();
                }
            }
        }
    }
}
