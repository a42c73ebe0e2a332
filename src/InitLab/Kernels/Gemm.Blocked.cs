using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace InitLab.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// Goto/BLIS-style loop: for each k-block, pack a column chunk of op(B) into NR-wide panels and a row block of
    /// op(A) into MR-tall panels (so all three transposition forms become the same contiguous reads), then run the
    /// register-blocked micro-kernel over MR×NR tiles. Work is split by column chunks; each C element is produced
    /// by one thread with the same k order, hence thread-count independent bits.
    /// </summary>
    private static unsafe void Blocked<TKernel>(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate, int maxThreads)
        where TKernel : struct, IMicroKernel
    {
        int nr = TKernel.NR;
        int panels = (n + nr - 1) / nr;
        long flops = 2L * m * n * k;
        int threads = Math.Clamp(maxThreads, 1, panels);
        if (flops < 4_000_000)
        {
            threads = 1;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new GemmJob((nint)pa, transA, (nint)pb, transB, (nint)pc, m, n, k, accumulate);
            if (threads == 1)
            {
                RunChunk<TKernel>(in job, 0, panels);
                return;
            }
            // Contiguous, even split of panels: chunk t gets panels [t*panels/threads, (t+1)*panels/threads).
            GemmWork<TKernel> work = GemmWork<TKernel>.ForThisThread;
            work.Job = job;
            WorkerPool.Run(work, threads);
        }
    }

    /// <summary>A reusable work item (one per calling thread), so a parallel multiply allocates nothing.</summary>
    private sealed class GemmWork<TKernel> : ParallelWork
        where TKernel : struct, IMicroKernel
    {
        [ThreadStatic]
        private static GemmWork<TKernel>? s_instance;

        public static GemmWork<TKernel> ForThisThread => s_instance ??= new GemmWork<TKernel>();

        public GemmJob Job { get; set; }

        public override void Execute(int index, int count)
        {
            int panelCount = (Job.N + TKernel.NR - 1) / TKernel.NR;
            RunChunk<TKernel>(Job, (int)((long)index * panelCount / count), (int)((long)(index + 1) * panelCount / count));
        }
    }

    private static unsafe void RunChunk<TKernel>(in GemmJob job, int firstPanel, int endPanel)
        where TKernel : struct, IMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int m = job.M, n = job.N, k = job.K;
        int colStart = firstPanel * nr;
        int colEnd = Math.Min(n, endPanel * nr);
        if (colStart >= colEnd)
        {
            return;
        }
        int chunkPanels = endPanel - firstPanel;
        int kb = Math.Min(KBlock, k);
        int mc = MR<TKernel>() * RowPanelsPerBlock;
        float* pBuf = PackBuffers.B((long)chunkPanels * nr * kb);
        float* aBuf = PackBuffers.A((long)mc * kb);
        float* a = (float*)job.A, b = (float*)job.B, c = (float*)job.C;
        Span<float> edge = stackalloc float[TKernel.MR * TKernel.NR];
        fixed (float* edgeTile = edge)
        {
            for (int p0 = 0; p0 < k; p0 += KBlock)
            {
                int kc = Math.Min(KBlock, k - p0);
                bool overwrite = p0 == 0 && !job.Accumulate;
                PackB(b, job.TransB, n, k, p0, kc, colStart, colEnd, nr, pBuf);
                // Row blocks of MC rows keep the packed A block (MC×kc) in L2 while the B micro-panels (kc×NR) stream through L1.
                for (int row0 = 0; row0 < m; row0 += mc)
                {
                    int blockRows = Math.Min(mc, m - row0);
                    PackA(a, job.TransA, m, k, row0, blockRows, p0, kc, mr, aBuf);
                    for (int jp = 0; jp < chunkPanels; jp++)
                    {
                        int col = colStart + jp * nr;
                        int cols = Math.Min(nr, colEnd - col);
                        float* bPanel = pBuf + (long)jp * nr * kc;
                        for (int r0 = 0; r0 < blockRows; r0 += mr)
                        {
                            int rows = Math.Min(mr, blockRows - r0);
                            float* aPanel = aBuf + (long)r0 * kc;
                            float* cTile = c + (long)(row0 + r0) * n + col;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cTile, n, overwrite);
                            }
                            else
                            {
                                TKernel.Run(kc, aPanel, bPanel, edgeTile, nr, overwrite: true);
                                for (int r = 0; r < rows; r++)
                                {
                                    float* src = edgeTile + r * nr;
                                    float* dst = cTile + (long)r * n;
                                    for (int q = 0; q < cols; q++)
                                    {
                                        dst[q] = overwrite ? src[q] : dst[q] + src[q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Row panels per packed A block: MC = MR·12 rows (96 for AVX-512, 72 for AVX2), 96 KiB at kc = 256.</summary>
    private const int RowPanelsPerBlock = 12;

    private static int MR<TKernel>()
        where TKernel : struct, IMicroKernel => TKernel.MR;

    /// <summary>Packs op(A)[rowStart..rowStart+rowCount, p0..p0+kc] as MR-row panels: each holds kc groups of MR values (missing rows are 0).</summary>
    private static unsafe void PackA(float* a, bool transA, int m, int k, int rowStart, int rowCount, int p0, int kc, int mr, float* dst)
    {
        for (int row0 = rowStart; row0 < rowStart + rowCount; row0 += mr)
        {
            int rows = Math.Min(mr, rowStart + rowCount - row0);
            if (transA)
            {
                // A stored k×m: row p of storage holds op(A)[·, p]; MR consecutive values are contiguous.
                if (mr == 8 && rows == 8 && Vector256.IsHardwareAccelerated)
                {
                    // A full 8-row panel is one ymm copy per k-step.
                    float* src = a + (long)p0 * m + row0;
                    for (int p = 0; p < kc; p++)
                    {
                        Vector256.Store(Vector256.Load(src + (long)p * m), dst + p * 8);
                    }
                    dst += kc * 8;
                    continue;
                }
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(p0 + p) * m + row0;
                    int r = 0;
                    for (; r < rows; r++)
                    {
                        dst[r] = src[r];
                    }
                    for (; r < mr; r++)
                    {
                        dst[r] = 0f;
                    }
                    dst += mr;
                }
            }
            else
            {
                int p = 0;
                if (mr == 8 && rows == 8 && Transpose.IsSupported)
                {
                    // Eight full rows: transpose 8×8 blocks instead of gathering with stride k.
                    float* src = a + (long)row0 * k + p0;
                    for (; p + 8 <= kc; p += 8)
                    {
                        Transpose.Block8x8(src + p, k, dst + p * 8, 8);
                    }
                    dst += p * 8;
                }
                for (; p < kc; p++)
                {
                    int r = 0;
                    for (; r < rows; r++)
                    {
                        dst[r] = a[(long)(row0 + r) * k + p0 + p];
                    }
                    for (; r < mr; r++)
                    {
                        dst[r] = 0f;
                    }
                    dst += mr;
                }
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, colStart..colEnd] as NR-column panels: panel j holds kc rows of NR values (cols past the end are 0).</summary>
    private static unsafe void PackB(float* b, bool transB, int n, int k, int p0, int kc, int colStart, int colEnd, int nr, float* dst)
    {
        for (int col0 = colStart; col0 < colEnd; col0 += nr)
        {
            int cols = Math.Min(nr, colEnd - col0);
            if (transB)
            {
                // B stored n×k: op(B)[p, j] = b[j*k + p]. Full 8-column groups go through 8×8 register transposes.
                int p = 0;
                if (cols == nr && nr % 8 == 0 && Transpose.IsSupported)
                {
                    for (; p + 8 <= kc; p += 8)
                    {
                        for (int q0 = 0; q0 < nr; q0 += 8)
                        {
                            Transpose.Block8x8(b + (long)(col0 + q0) * k + p0 + p, k, dst + p * nr + q0, nr);
                        }
                    }
                    dst += p * nr;
                }
                for (; p < kc; p++)
                {
                    int q = 0;
                    for (; q < cols; q++)
                    {
                        dst[q] = b[(long)(col0 + q) * k + p0 + p];
                    }
                    for (; q < nr; q++)
                    {
                        dst[q] = 0f;
                    }
                    dst += nr;
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(p0 + p) * n + col0;
                    if (cols == nr)
                    {
                        Buffer.MemoryCopy(src, dst, nr * sizeof(float), nr * sizeof(float));
                    }
                    else
                    {
                        int q = 0;
                        for (; q < cols; q++)
                        {
                            dst[q] = src[q];
                        }
                        for (; q < nr; q++)
                        {
                            dst[q] = 0f;
                        }
                    }
                    dst += nr;
                }
            }
        }
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly record struct GemmJob(nint A, bool TransA, nint B, bool TransB, nint C, int M, int N, int K, bool Accumulate);

    /// <summary>
    /// Per-thread packing buffers, 64-byte aligned (a Vector512 load never splits a cache line), grown once and then
    /// reused, so steady-state training allocates nothing. A thread's buffers live as long as the thread.
    /// </summary>
    private static unsafe class PackBuffers
    {
        [ThreadStatic]
        private static float* s_a;

        [ThreadStatic]
        private static long s_aLength;

        [ThreadStatic]
        private static float* s_b;

        [ThreadStatic]
        private static long s_bLength;

        public static float* A(long length) => Ensure(ref s_a, ref s_aLength, length);

        public static float* B(long length) => Ensure(ref s_b, ref s_bLength, length);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float* Ensure(ref float* buffer, ref long capacity, long length)
        {
            if (capacity < length)
            {
                NativeMemory.AlignedFree(buffer);
                capacity = Math.Max(length, 4096);
                buffer = (float*)NativeMemory.AlignedAlloc((nuint)(capacity * sizeof(float)), 64);
            }
            return buffer;
        }
    }
}
