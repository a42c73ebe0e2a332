namespace InitLab.Kernels;

/// <summary>A unit of work split into <c>count</c> parts; part <c>index</c> runs on one thread.</summary>
internal abstract class ParallelWork
{
    /// <summary>Runs part <paramref name="index"/> of <paramref name="count"/>.</summary>
    public abstract void Execute(int index, int count);
}

/// <summary>
/// Persistent background threads for kernels: no task or delegate is allocated per call, so a training step stays
/// allocation-free. One parallel region runs at a time; a caller that finds the pool busy runs its parts inline,
/// which gives the same result because the parts are independent.
/// </summary>
internal static class WorkerPool
{
    private static readonly Lock s_gate = new();
    private static readonly CountdownEvent s_done = new(1);
    private static Worker[] s_workers = [];
    private static Exception? s_failure;

    /// <summary>Bytes the workers have allocated on their threads, all told (they allocate nothing per call: the
    /// allocation checks add this to the calling thread's count instead of the process-wide one, which the test host's
    /// own threads disturb).</summary>
    public static long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (Worker worker in Volatile.Read(ref s_workers))
            {
                sum += worker.AllocatedBytes;
            }
            return sum;
        }
    }

    public static void Run(ParallelWork work, int count)
    {
        if (count <= 1 || !s_gate.TryEnter())
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
                    Volatile.Write(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                    s_done.Signal();
                }
            }
        }
    }
}
