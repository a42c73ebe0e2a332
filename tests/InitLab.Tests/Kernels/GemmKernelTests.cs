using InitLab.Kernels;
using InitLab.Random;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Kernels;

/// <summary>
/// Every GEMM kernel, forced whatever this machine would choose, against the scalar reference (three transposition
/// forms, accumulate, NaN canaries), with the blocking computed for this CPU and with a tiny blocking that makes every
/// k-, row- and column-block loop turn; and 1 vs 2 vs 3 threads bit-identical per kernel.
/// </summary>
public class GemmKernelTests
{
    [KernelFact(GemmKernel.Avx512X8x32)]
    public void Avx512X8x32_AllShapesAndForms_MatchReference() => AllShapesMatchReference(GemmKernel.Avx512X8x32);

    [KernelFact(GemmKernel.Avx512X24x16)]
    public void Avx512X24x16_AllShapesAndForms_MatchReference() => AllShapesMatchReference(GemmKernel.Avx512X24x16);

    [KernelFact(GemmKernel.Avx2X6x16)]
    public void Avx2X6x16_AllShapesAndForms_MatchReference() => AllShapesMatchReference(GemmKernel.Avx2X6x16);

    [KernelFact(GemmKernel.Scalar)]
    public void Scalar_AllShapesAndForms_MatchReference() => AllShapesMatchReference(GemmKernel.Scalar);

    [KernelFact(GemmKernel.Avx512X8x32)]
    public void Avx512X8x32_OneTwoThreeThreads_BitIdentical() => ThreadCountsBitIdentical(GemmKernel.Avx512X8x32);

    [KernelFact(GemmKernel.Avx512X24x16)]
    public void Avx512X24x16_OneTwoThreeThreads_BitIdentical() => ThreadCountsBitIdentical(GemmKernel.Avx512X24x16);

    [KernelFact(GemmKernel.Avx2X6x16)]
    public void Avx2X6x16_OneTwoThreeThreads_BitIdentical() => ThreadCountsBitIdentical(GemmKernel.Avx2X6x16);

    [KernelFact(GemmKernel.Avx512X8x32)]
    public void Avx512X8x32_SteadyState_AllocatesNothing() => AllocatesNothing(GemmKernel.Avx512X8x32);

    [KernelFact(GemmKernel.Avx512X24x16)]
    public void Avx512X24x16_SteadyState_AllocatesNothing() => AllocatesNothing(GemmKernel.Avx512X24x16);

    [KernelFact(GemmKernel.Avx2X6x16)]
    public void Avx2X6x16_SteadyState_AllocatesNothing() => AllocatesNothing(GemmKernel.Avx2X6x16);

    /// <summary>The blocking this CPU would get for the kernel, and a tiny one (2 row panels per A block, k-blocks of
    /// 16, 2 column panels per B block) so that shapes of a few dozen rows already cross every block boundary.</summary>
    private static KernelPlan[] Plans(GemmKernel kernel)
    {
        KernelPlan own = KernelPlan.ForKernel(kernel, CpuInfo.Current, "test");
        return [own, own with { Mc = 2 * own.Mr, Kc = 16, Nc = 2 * own.Nr }];
    }

    private static void AllShapesMatchReference(GemmKernel kernel)
    {
        foreach (KernelPlan plan in Plans(kernel))
        {
            foreach (object[] shape in GemmTests.Shapes())
            {
                int m = (int)shape[0], n = (int)shape[1], k = (int)shape[2];
                var rng = new Rng(7);
                float[] a = GemmTests.RandomArray(rng, m * k);
                float[] b = GemmTests.RandomArray(rng, k * n);
                foreach (bool transA in new[] { false, true })
                {
                    foreach (bool transB in new[] { false, true })
                    {
                        foreach (bool accumulate in new[] { false, true })
                        {
                            float[] start = GemmTests.RandomArray(rng, m * n);
                            float[] expected = (float[])start.Clone();
                            Gemm.Reference(a, transA, b, transB, expected, m, n, k, accumulate);
                            float[] actual = new float[m * n + 2];
                            actual[0] = float.NaN;
                            actual[^1] = float.NaN;
                            start.CopyTo(actual, 1);
                            Gemm.Run(plan, a, transA, b, transB, actual.AsSpan(1, m * n), m, n, k, accumulate, maxThreads: 2);
                            Assert.True(float.IsNaN(actual[0]) && float.IsNaN(actual[^1]), $"{plan}: {m}×{n}×{k} wrote outside C");
                            // k products of values in [-1, 1), summed in another order (FMA, k-blocks): a few ulps of k each.
                            float tolerance = 1e-5f * (k + 1);
                            for (int i = 0; i < m * n; i++)
                            {
                                Assert.True(Math.Abs(expected[i] - actual[i + 1]) <= tolerance,
                                    $"{plan}: {m}×{n}×{k} transA={transA} transB={transB} acc={accumulate} [{i}]: {expected[i]} vs {actual[i + 1]}");
                            }
                        }
                    }
                }
            }
        }
    }

    private static void ThreadCountsBitIdentical(GemmKernel kernel)
    {
        // Row splits (many rows), a column split (8 rows: too few row panels), and odd edges everywhere.
        int[][] shapes = [[256, 512, 300], [128, 2048, 64], [300, 700, 129], [8, 4096, 200], [1000, 40, 70]];
        foreach (KernelPlan plan in Plans(kernel))
        {
            foreach (int[] s in shapes)
            {
                int m = s[0], n = s[1], k = s[2];
                var rng = new Rng(3);
                float[] a = GemmTests.RandomArray(rng, m * k);
                float[] b = GemmTests.RandomArray(rng, k * n);
                foreach (bool transA in new[] { false, true })
                {
                    foreach (bool transB in new[] { false, true })
                    {
                        float[] one = new float[m * n];
                        Gemm.Run(plan, a, transA, b, transB, one, m, n, k, accumulate: false, maxThreads: 1);
                        foreach (int threads in new[] { 2, 3 })
                        {
                            float[] many = new float[m * n];
                            Gemm.Run(plan, a, transA, b, transB, many, m, n, k, accumulate: false, maxThreads: threads);
                            Assert.True(one.AsSpan().SequenceEqual(many), $"{plan}: {m}×{n}×{k} transA={transA} transB={transB}, 1 vs {threads} threads");
                        }
                    }
                }
            }
        }
    }

    private static void AllocatesNothing(GemmKernel kernel)
    {
        KernelPlan plan = KernelPlan.ForKernel(kernel, CpuInfo.Current, "test");
        const int M = 200, N = 300, K = 170;
        var rng = new Rng(5);
        float[] a = GemmTests.RandomArray(rng, M * K);
        float[] b = GemmTests.RandomArray(rng, K * N);
        float[] c = new float[M * N];
        Gemm.Run(plan, a, false, b, true, c, M, N, K, accumulate: false, maxThreads: 2);
        // One-time lazy allocations (a wait lock created the first time a thread really blocks) may fall into any
        // attempt; an engine that allocated per call would allocate in every one, so the smallest must be 0.
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread() + WorkerPool.AllocatedBytesOnWorkers();
            for (int i = 0; i < 3; i++)
            {
                Gemm.Run(plan, a, false, b, true, c, M, N, K, accumulate: true, maxThreads: 2);
            }
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() + WorkerPool.AllocatedBytesOnWorkers() - before);
        }
        Assert.Equal(0, smallest);
    }
}
