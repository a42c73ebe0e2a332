using System.Diagnostics;
using InitLab.Kernels;
using InitLab.Random;

namespace InitLab.Performance;

/// <summary>Times <see cref="Gemm.Multiply"/> on square matrices: median of repeats, each long enough to time.</summary>
public static class GemmBenchmark
{
    /// <summary>Measures C = A·B for n×n matrices.</summary>
    /// <param name="n">Size.</param>
    /// <param name="threads">Threads.</param>
    /// <param name="repeats">Repeats (median taken).</param>
    /// <returns>Median milliseconds per multiply and GFLOP/s (2n³ FLOP).</returns>
    public static (double Milliseconds, double Gflops) Measure(int n, int threads, int repeats = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var rng = new Rng(7);
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.Uniform(-1, 1);
            b[i] = (float)rng.Uniform(-1, 1);
        }
        double flops = 2.0 * n * n * n;
        int iterations = Math.Max(1, (int)(4e8 / flops));
        Gemm.Multiply(a, false, b, false, c, n, n, n, maxThreads: threads);
        var times = new List<double>();
        for (int r = 0; r < Math.Max(1, repeats); r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                Gemm.Multiply(a, false, b, false, c, n, n, n, maxThreads: threads);
            }
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / iterations);
        }
        times.Sort();
        double ms = times[times.Count / 2];
        return (ms, flops / ms / 1e6);
    }
}
