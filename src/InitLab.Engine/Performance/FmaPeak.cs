using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace InitLab.Performance;

/// <summary>
/// The machine's fp32 fused multiply-add limit, measured in process: each thread runs independent FMA chains on the
/// widest vectors the runtime enables (16 accumulators of 512 bits, else 12 of 256 bits — as many as fit the
/// registers, enough to cover the FMA latency on two pipes), so the time is bound by FMA throughput alone. The same
/// loop as <c>shared/peers/fma_peak.c</c>; it gives a "% of peak" for the machine at hand instead of a constant that
/// was true of one processor.
/// </summary>
public static class FmaPeak
{
    /// <summary>Measures the peak over <paramref name="threads"/> threads: the best of <paramref name="rounds"/> timed runs.</summary>
    /// <param name="threads">Threads run at once (one per core for the machine's peak).</param>
    /// <param name="iterations">Loop iterations per thread per round (each is one FMA per accumulator).</param>
    /// <param name="rounds">Rounds; the fastest counts, since preemption only ever slows a round down.</param>
    /// <returns>GFLOP/s over all threads (an FMA counts as 2 FLOP).</returns>
    public static double Measure(int threads = 1, long iterations = 20_000_000, int rounds = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        double flopsPerIteration = Vector512.IsHardwareAccelerated ? 2.0 * 16 * 16
            : Vector256.IsHardwareAccelerated ? 2.0 * 12 * 8 : 2.0 * 12 * 4;
        double best = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            using var start = new Barrier(threads + 1);
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                workers[t] = new Thread(() =>
                {
                    start.SignalAndWait();
                    Sink(Run(iterations));
                }) { IsBackground = true };
                workers[t].Start();
            }
            start.SignalAndWait();
            long begin = Stopwatch.GetTimestamp();
            foreach (Thread worker in workers)
            {
                worker.Join();
            }
            best = Math.Min(best, Stopwatch.GetElapsedTime(begin).TotalSeconds);
        }
        return flopsPerIteration * iterations * threads / best / 1e9;
    }

    private static float Run(long iterations) =>
        Vector512.IsHardwareAccelerated ? Run512(iterations) : Vector256.IsHardwareAccelerated ? Run256(iterations) : Run128(iterations);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sink(float value) => GC.KeepAlive(value);

    // Sixteen named locals, not an array: the JIT keeps locals in registers (zmm0–zmm31), an array would go to memory.
    private static float Run512(long iterations)
    {
        Vector512<float> m = Vector512.Create(0.999999f), c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0f), a1 = Vector512.Create(1f), a2 = Vector512.Create(2f), a3 = Vector512.Create(3f);
        Vector512<float> a4 = Vector512.Create(4f), a5 = Vector512.Create(5f), a6 = Vector512.Create(6f), a7 = Vector512.Create(7f);
        Vector512<float> a8 = Vector512.Create(8f), a9 = Vector512.Create(9f), a10 = Vector512.Create(10f), a11 = Vector512.Create(11f);
        Vector512<float> a12 = Vector512.Create(12f), a13 = Vector512.Create(13f), a14 = Vector512.Create(14f), a15 = Vector512.Create(15f);
        for (long n = 0; n < iterations; n++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            a12 = Vector512.FusedMultiplyAdd(a12, m, c); a13 = Vector512.FusedMultiplyAdd(a13, m, c);
            a14 = Vector512.FusedMultiplyAdd(a14, m, c); a15 = Vector512.FusedMultiplyAdd(a15, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    // Twelve accumulators: with m and c they fit the sixteen ymm registers of plain AVX2.
    private static float Run256(long iterations)
    {
        Vector256<float> m = Vector256.Create(0.999999f), c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0f), a1 = Vector256.Create(1f), a2 = Vector256.Create(2f), a3 = Vector256.Create(3f);
        Vector256<float> a4 = Vector256.Create(4f), a5 = Vector256.Create(5f), a6 = Vector256.Create(6f), a7 = Vector256.Create(7f);
        Vector256<float> a8 = Vector256.Create(8f), a9 = Vector256.Create(9f), a10 = Vector256.Create(10f), a11 = Vector256.Create(11f);
        for (long n = 0; n < iterations; n++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    private static float Run128(long iterations)
    {
        Vector128<float> m = Vector128.Create(0.999999f), c = Vector128.Create(1e-7f);
        Vector128<float> a0 = Vector128.Create(0f), a1 = Vector128.Create(1f), a2 = Vector128.Create(2f), a3 = Vector128.Create(3f);
        Vector128<float> a4 = Vector128.Create(4f), a5 = Vector128.Create(5f), a6 = Vector128.Create(6f), a7 = Vector128.Create(7f);
        Vector128<float> a8 = Vector128.Create(8f), a9 = Vector128.Create(9f), a10 = Vector128.Create(10f), a11 = Vector128.Create(11f);
        for (long n = 0; n < iterations; n++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, m, c); a1 = Vector128.FusedMultiplyAdd(a1, m, c);
            a2 = Vector128.FusedMultiplyAdd(a2, m, c); a3 = Vector128.FusedMultiplyAdd(a3, m, c);
            a4 = Vector128.FusedMultiplyAdd(a4, m, c); a5 = Vector128.FusedMultiplyAdd(a5, m, c);
            a6 = Vector128.FusedMultiplyAdd(a6, m, c); a7 = Vector128.FusedMultiplyAdd(a7, m, c);
            a8 = Vector128.FusedMultiplyAdd(a8, m, c); a9 = Vector128.FusedMultiplyAdd(a9, m, c);
            a10 = Vector128.FusedMultiplyAdd(a10, m, c); a11 = Vector128.FusedMultiplyAdd(a11, m, c);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
