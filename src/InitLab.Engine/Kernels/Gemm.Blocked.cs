using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;

namespace InitLab.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// Goto/BLIS-style loop. op(B) is packed into NR-wide panels, one (k-block, group of panels) at a time
    /// (<see cref="PanelsPerPackGroup"/>), into a buffer that holds all of it, by whichever thread needs the piece first
    /// (the others wait on its flag); each thread packs its
    /// own mc×kc blocks of op(A) into MR-tall panels. So all three transposition forms become the same contiguous reads,
    /// and the threads share one packed B. Threads take contiguous ranges of row panels (or of column panels when C
    /// has too few rows); every C tile is computed by one thread with the same k-blocks in the same order, so the bits
    /// do not depend on the thread count.
    /// </summary>
    /// <remarks>With a non-empty <paramref name="output"/> (fused output pass, overwrite only), each tile, right after the
    /// micro-kernel stored its last k-block, gets z += <paramref name="bias"/> and output = φ(z) (<see cref="OutputPass"/>)
    /// from the thread that computed it, while it is still in L1.</remarks>
    private static unsafe void Blocked<TKernel>(KernelPlan plan, ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate, int maxThreads,
        ReadOnlySpan<float> bias = default, Span<float> output = default, OutputActivation activation = OutputActivation.Linear, RowActivation? rows = null)
        where TKernel : struct, IMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int panels = (n + nr - 1) / nr;
        int rowPanels = (m + mr - 1) / mr;
        int kc = Math.Min(plan.Kc, k);
        int kBlocks = (k + kc - 1) / kc;
        int threads = 2L * m * n * k < ParallelFlops ? 1 : Math.Max(1, maxThreads);
        // Rows are the better split (the threads share every packed B panel); with fewer than two row panels per
        // thread, split the columns instead.
        bool splitRows = rowPanels >= 2 * threads;
        threads = Math.Min(threads, splitRows ? rowPanels : panels);
        float* packedB = PackBuffers.B(panels * PanelStride(nr, k));
        int groupPanels = PanelsPerPackGroup(transB, panels, threads);
        int groups = (panels + groupPanels - 1) / groupPanels;
        int* flags = PackBuffers.Flags((long)kBlocks * groups);
        new Span<int>(flags, kBlocks * groups).Clear();
        fixed (float* pa = a, pb = b, pc = c, pBias = bias, pOut = output)
        {
            var job = new GemmJob((nint)pa, transA, (nint)pb, transB, (nint)pc, m, n, k, accumulate,
                Math.Max(mr, plan.Mc / mr * mr), kc, Math.Max(1, plan.Nc / nr), (nint)packedB, (nint)flags, groupPanels, splitRows,
                (nint)pBias, (nint)pOut, activation, rows);
            if (threads == 1)
            {
                RunPart<TKernel>(in job, 0, 1);
                return;
            }
            if (PartOrderForTests is { } order)
            {
                foreach (int part in order)
                {
                    RunPart<TKernel>(in job, part, threads);
                }
                return;
            }
            GemmWork<TKernel> work = GemmWork<TKernel>.ForThisThread;
            work.Job = job;
            WorkerPool.Run(work, threads);
        }
    }

    /// <summary>Below this many FLOP a multiply stays on the calling thread (waking a worker costs more).</summary>
    private const long ParallelFlops = 4_000_000;

    /// <summary>Whether each full tile's C rows are requested before its micro-kernel call (<see cref="PrefetchTile"/>).
    /// On by default; off is the A/B baseline. A request changes no value.</summary>
    internal static bool PrefetchCTile { get; set; } = true;

    /// <summary>For tests, per thread: when set, this thread's multiplies that would use several threads run their parts
    /// here, one after another, in this order (each part index once), so that an order the pool only produces by chance
    /// (a later part packing a shared B group before an earlier one reaches it) happens every time.</summary>
    [ThreadStatic]
    internal static int[]? PartOrderForTests;

    private const int NotPacked = 0;
    private const int Packing = 1;
    private const int Packed = 2;

    /// <summary>A reusable work item (one per calling thread), so a parallel multiply allocates nothing.</summary>
    private sealed class GemmWork<TKernel> : ParallelWork
        where TKernel : struct, IMicroKernel
    {
        [ThreadStatic]
        private static GemmWork<TKernel>? s_instance;

        public static GemmWork<TKernel> ForThisThread => s_instance ??= new GemmWork<TKernel>();

        public GemmJob Job { get; set; }

        public override void Execute(int index, int count) => RunPart<TKernel>(Job, index, count);
    }

    /// <summary>Part <paramref name="index"/> of <paramref name="count"/>: a contiguous, even range of row panels (or
    /// column panels), walked in nc column blocks, k-blocks and mc row blocks.</summary>
    private static unsafe void RunPart<TKernel>(in GemmJob job, int index, int count)
        where TKernel : struct, IMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int m = job.M, n = job.N, k = job.K, kc = job.Kc, mc = job.Mc;
        int panels = (n + nr - 1) / nr;
        int rowPanels = (m + mr - 1) / mr;
        int firstPanel = 0, endPanel = panels, rowStart = 0, rowEnd = m;
        if (job.SplitRows)
        {
            rowStart = (int)((long)index * rowPanels / count) * mr;
            rowEnd = Math.Min(m, (int)((long)(index + 1) * rowPanels / count) * mr);
        }
        else
        {
            firstPanel = (int)((long)index * panels / count);
            endPanel = (int)((long)(index + 1) * panels / count);
        }
        if (rowStart >= rowEnd || firstPanel >= endPanel)
        {
            return;
        }
        mc = BalancedRowBlock(rowEnd - rowStart, mc, mr);
        float* aBuf = PackBuffers.A((mc + mr - 1) / mr * APanelStride(kc, mr));
        float* a = (float*)job.A, c = (float*)job.C;
        Span<float> edge = stackalloc float[TKernel.MR * TKernel.NR];
        fixed (float* edgeTile = edge)
        {
            for (int jc = firstPanel; jc < endPanel; jc += job.NcPanels)
            {
                int jcEnd = Math.Min(endPanel, jc + job.NcPanels);
                for (int p0 = 0, block = 0; p0 < k; p0 += kc, block++)
                {
                    int kcb = Math.Min(kc, k - p0);
                    bool overwrite = p0 == 0 && !job.Accumulate;
                    bool finish = job.Output != 0 && p0 + kcb == k;
                    // Row blocks of mc rows keep the packed A block (mc×kc) in L2 while the B panels (kc×NR) stream through L1.
                    for (int row0 = rowStart; row0 < rowEnd; row0 += mc)
                    {
                        int blockRows = Math.Min(mc, rowEnd - row0);
                        PackA(a, job.TransA, m, k, row0, blockRows, p0, kcb, mr, aBuf);
                        // Threads sharing the B panels start at different ones, so that each packs its share
                        // instead of waiting for the other's (the order of tiles does not change any tile's sum).
                        int jcCount = jcEnd - jc;
                        int first = job.SplitRows ? (int)((long)index * jcCount / count) : 0;
                        for (int step = 0; step < jcCount; step++)
                        {
                            int jp = jc + (first + step) % jcCount;
                            float* bPanel = PackedBPanel(in job, nr, block, jp, p0, kcb);
                            int col = jp * nr;
                            int cols = Math.Min(nr, n - col);
                            for (int r0 = 0; r0 < blockRows; r0 += mr)
                            {
                                int rows = Math.Min(mr, blockRows - r0);
                                float* aPanel = aBuf + r0 / mr * APanelStride(kcb, mr);
                                float* cTile = c + (long)(row0 + r0) * n + col;
                                bool inRegisters = false;
                                if (rows == mr && cols == nr)
                                {
                                    // ReLU and linear are finished in the kernel's registers as it stores the tile.
                                    inRegisters = finish && job.Activation != OutputActivation.Rows;
                                    TileFinish tileFinish = inRegisters
                                        ? new TileFinish(job.Bias == 0 ? null : (float*)job.Bias + col, (float*)job.Output + (long)(row0 + r0) * n + col,
                                            job.Activation == OutputActivation.Relu)
                                        : default;
                                    if (PrefetchCTile)
                                    {
                                        PrefetchTile(cTile, n, mr, nr);
                                    }
                                    TKernel.Run(kcb, aPanel, bPanel, cTile, n, overwrite, in tileFinish);
                                }
                                else
                                {
                                    TKernel.Run(kcb, aPanel, bPanel, edgeTile, nr, overwrite: true, default);
                                    for (int r = 0; r < rows; r++)
                                    {
                                        var src = new ReadOnlySpan<float>(edgeTile + r * nr, cols);
                                        var dst = new Span<float>(cTile + (long)r * n, cols);
                                        if (overwrite)
                                        {
                                            src.CopyTo(dst);
                                        }
                                        else
                                        {
                                            TensorPrimitives.Add(dst, src, dst);
                                        }
                                    }
                                }
                                if (finish && !inRegisters)
                                {
                                    FinishTile(in job, row0 + r0, col, rows, cols);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Requests the C tile's rows before the micro-kernel's k-loop, so that they arrive while it runs: the kernel reads
    /// (or, on the first k-block, writes) the tile only after its last FMA, and a tile of a large C was last touched a
    /// whole k-block or pass earlier, so its MR rows, each a different line or page, came in one miss at a time while
    /// the FMA units waited. Measured on Zen 4 only (avx512-8x32 and avx2-6x16; the 24×16 Intel kernel and other CPUs
    /// untimed), in-process A/B with <see cref="PrefetchCTile"/>: SGEMM 1024³/2048³ 4–6 % faster with AVX-512, 3–7 % with
    /// AVX2; training steps 3–4 % faster, except W2 on 2 threads (within noise) (docs/performance.md). A request changes
    /// no value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile(float* tile, int ldc, int rows, int cols)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            // First and last float, and the middle one for rows over 16 floats: a row of up to 32 floats that does not
            // start on a line spans up to 3 lines (16 floats: 2).
            float* row = tile + (long)r * ldc;
            Sse.Prefetch0(row);
            if (cols > 16)
            {
                Sse.Prefetch0(row + cols / 2);
            }
            Sse.Prefetch0(row + cols - 1);
        }
    }

    /// <summary>
    /// The rows of each packed A block when a thread's <paramref name="rows"/> are split into blocks of at most
    /// <paramref name="mc"/>: the same number of blocks, evened out (in whole MR panels). Otherwise the last block can be
    /// a single panel that still walks every B panel for one tile each: with AVX2's mc = 252, 2 threads on 512 rows got
    /// blocks of 252 + 6 rows. The grouping of rows does not change any tile's sum.
    /// </summary>
    internal static int BalancedRowBlock(int rows, int mc, int mr)
    {
        int blocks = (rows + mc - 1) / mc;
        int perBlock = (rows + blocks - 1) / blocks;
        return Math.Min(mc, (perBlock + mr - 1) / mr * mr);
    }

    /// <summary>The fused output pass over one finished tile (rows×cols at (row, col)): z += b, a = φ(z), row by row.</summary>
    private static unsafe void FinishTile(in GemmJob job, int row, int col, int rows, int cols)
    {
        int n = job.N;
        float* z = (float*)job.C + (long)row * n + col;
        float* a = (float*)job.Output + (long)row * n + col;
        if (job.Activation != OutputActivation.Rows && cols % Vector512<float>.Count == 0 && Vector512.IsHardwareAccelerated)
        {
            FinishTile512(z, a, (float*)job.Bias, col, n, rows, cols, job.Activation == OutputActivation.Relu);
            return;
        }
        if (job.Activation != OutputActivation.Rows && cols % Vector256<float>.Count == 0 && Vector256.IsHardwareAccelerated)
        {
            FinishTile256(z, a, (float*)job.Bias, col, n, rows, cols, job.Activation == OutputActivation.Relu);
            return;
        }
        ReadOnlySpan<float> bias = job.Bias == 0 ? default : new ReadOnlySpan<float>((float*)job.Bias + col, cols);
        for (int r = 0; r < rows; r++)
        {
            OutputPass.Row(new Span<float>(z + (long)r * n, cols), bias, new Span<float>(a + (long)r * n, cols), job.Activation, job.Rows);
        }
    }

    /// <summary>A full-width tile (cols a multiple of 16) on the 512-bit path, with each bias vector loaded once for all
    /// rows: per element the same single add and the same max as <see cref="OutputPass.Row(Span{float}, ReadOnlySpan{float}, Span{float}, OutputActivation, RowActivation?)"/>,
    /// without a call per row.</summary>
    private static unsafe void FinishTile512(float* z, float* a, float* bias, int col, int n, int rows, int cols, bool relu)
    {
        for (int j = 0; j < cols; j += Vector512<float>.Count)
        {
            bool hasBias = bias != null;
            Vector512<float> b = hasBias ? Vector512.Load(bias + col + j) : default;
            for (int r = 0; r < rows; r++)
            {
                float* zr = z + (long)r * n + j;
                Vector512<float> v = Vector512.Load(zr);
                if (hasBias)
                {
                    v += b;
                    v.Store(zr);
                }
                (relu ? Vector512.Max(v, Vector512<float>.Zero) : v).Store(a + (long)r * n + j);
            }
        }
    }

    /// <summary>As <see cref="FinishTile512"/> with 8-lane vectors (the AVX2 kernel's 16-wide tiles).</summary>
    private static unsafe void FinishTile256(float* z, float* a, float* bias, int col, int n, int rows, int cols, bool relu)
    {
        for (int j = 0; j < cols; j += Vector256<float>.Count)
        {
            bool hasBias = bias != null;
            Vector256<float> b = hasBias ? Vector256.Load(bias + col + j) : default;
            for (int r = 0; r < rows; r++)
            {
                float* zr = z + (long)r * n + j;
                Vector256<float> v = Vector256.Load(zr);
                if (hasBias)
                {
                    v += b;
                    v.Store(zr);
                }
                (relu ? Vector256.Max(v, Vector256<float>.Zero) : v).Store(a + (long)r * n + j);
            }
        }
    }

    /// <summary>
    /// How many adjacent NR-wide panels of B one thread packs at a time. Stored k×n (not transposed), a single panel is NR
    /// floats from each of kc rows n floats apart: with n ≥ 1024 every row is a new page, which the hardware prefetchers
    /// do not follow, so a cold W (the forward pass's B, last touched by the previous step's update) arrived at 3–6 GB/s.
    /// A group of panels is read row by row, G·NR contiguous floats at a time: up to 8 panels (1 KiB per row with the
    /// 32-wide kernel, 512 B with the 16-wide ones), and at most
    /// panels/threads, so that threads sharing B (each starting at its own share of the panels) pack different groups.
    /// Measured on Zen 4 with a cold 256×256 B: 8 panels 180 µs per 128×256×256 multiply, 4 panels 192–212, one panel
    /// 235 (161 with B hot). Transposed B is read 8 rows at a time along k (8×8 transposes) and stays at one panel.
    /// </summary>
    private static int PanelsPerPackGroup(bool transB, int panels, int threads) =>
        transB ? 1 : Math.Clamp(panels / threads, 1, MaxPackGroupPanels);

    private const int MaxPackGroupPanels = 8;

    /// <summary>How many rows ahead the packers of B stored k×n and of Aᵀ request their source: far enough to cover an L3
    /// or memory latency at one short row copy per step. 32 beat 8 by 2–3 % on every cold-operand multiply measured
    /// (Zen 4, 128×256×256); the first version (8) took a cold 256×256 B from 12 to 35 GB/s.</summary>
    private const int PackPrefetchRows = 32;

    /// <summary>
    /// The packed kc×NR panel <paramref name="panel"/> of k-block <paramref name="block"/>, packing its group of panels
    /// (<see cref="PanelsPerPackGroup"/>) first if no thread has. The group's flag goes 0 (not packed) → 1 (a thread is
    /// packing it) → 2 (ready). A thread waits only for a group another running thread is packing, so parts that run one
    /// after another (pool busy) never wait.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float* PackedBPanel(in GemmJob job, int nr, int block, int panel, int p0, int kcb)
    {
        float* dst = (float*)job.PackedB + panel * PanelStride(nr, job.K) + (long)p0 * nr;
        int panels = (job.N + nr - 1) / nr;
        int groupPanels = job.GroupPanels;
        int groups = (panels + groupPanels - 1) / groupPanels;
        int group = panel / groupPanels;
        ref int flag = ref ((int*)job.Flags)[(long)block * groups + group];
        if (Volatile.Read(ref flag) != Packed)
        {
            if (Interlocked.CompareExchange(ref flag, Packing, NotPacked) == NotPacked)
            {
                if (job.TransB)
                {
                    int col0 = panel * nr;
                    PackBTransposed((float*)job.B, job.K, p0, kcb, col0, Math.Min(job.N, col0 + nr), nr, dst);
                }
                else
                {
                    // The whole group from its first panel, wherever this thread came in.
                    int first = group * groupPanels;
                    PackBRows((float*)job.B, job.N, job.K, p0, kcb, first, Math.Min(panels, first + groupPanels), nr, (float*)job.PackedB);
                }
                Volatile.Write(ref flag, Packed);
            }
            else
            {
                SpinWait spin = default;
                while (Volatile.Read(ref flag) != Packed)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
        }
        return dst;
    }

    /// <summary>Packs B (stored k×n) rows p0..p0+kc into the panels firstPanel..endPanel of the packed buffer (panel j of
    /// this k-block at <paramref name="packed"/> + j·<see cref="PanelStride"/> + p0·NR), one source row at a time: each
    /// row's columns of the group are contiguous in memory, so the reads stream. Columns past n are 0.</summary>
    private static unsafe void PackBRows(float* b, int n, int k, int p0, int kc, int firstPanel, int endPanel, int nr, float* packed)
    {
        int col0 = firstPanel * nr;
        int fullPanels = Math.Min(endPanel, n / nr) - firstPanel;
        long stride = PanelStride(nr, k);
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (long)(p0 + p) * n + col0;
            float* dst = packed + firstPanel * stride + (long)(p0 + p) * nr;
            // Rows ahead are requested now: the hardware prefetchers do not run ahead of rows this short.
            float* ahead = src + PackPrefetchRows * (long)n;
            bool prefetch = Sse.IsSupported && p + PackPrefetchRows < kc;
            int q = 0;
            for (; q < fullPanels; q++)
            {
                if (prefetch)
                {
                    Sse.Prefetch0(ahead + q * nr);
                    Sse.Prefetch0(ahead + q * nr + nr - 1);
                }
                CopyPanelRow(src + q * nr, dst + q * stride, nr);
            }
            for (; q < endPanel - firstPanel; q++)
            {
                // The last, partial panel: its columns, then zeros.
                CopyPaddedRow(src + q * nr, 1, Math.Max(0, Math.Min(nr, n - col0 - q * nr)), dst + q * stride, nr);
            }
        }
    }

    /// <summary>Floats from one packed B panel to the next: NR·k plus one cache line. Without the line, NR·k·4 bytes is a
    /// multiple of 4 KiB for the usual shapes (32 KiB at NR = 32, k = 256), so row p of every panel falls in the same L1 set, and
    /// packing a group of panels row by row evicted its own stores (8 streams in an 8-way set).</summary>
    private static long PanelStride(int nr, int k) => (long)nr * k + 16;

    /// <summary>Copies NR floats with vector loads and stores: Buffer.MemoryCopy's size dispatch cost more than the copy
    /// itself for these 64–128-byte pieces (a third of a small multiply's time in a profile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyPanelRow(float* src, float* dst, int nr)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= nr; i += 16)
            {
                Vector512.Store(Vector512.Load(src + i), dst + i);
            }
        }
        for (; i + 8 <= nr; i += 8)
        {
            Vector256.Store(Vector256.Load(src + i), dst + i);
        }
        for (; i < nr; i++)
        {
            dst[i] = src[i];
        }
    }

    /// <summary>One row of a packed panel, element by element (the packers' edges and scalar paths): <paramref name="count"/>
    /// values <paramref name="stride"/> apart from <paramref name="src"/>, then zeros up to <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyPaddedRow(float* src, long stride, int count, float* dst, int width)
    {
        int i = 0;
        for (; i < count; i++)
        {
            dst[i] = src[i * stride];
        }
        for (; i < width; i++)
        {
            dst[i] = 0f;
        }
    }

    /// <summary>Floats from one packed A panel to the next: kc·MR plus one cache line, for the reason of
    /// <see cref="PanelStride"/> (kc·MR·4 B is 4 KiB for the weight gradient's k = 128 batch rows).</summary>
    private static long APanelStride(int kc, int mr) => (long)kc * mr + 16;

    /// <summary>Packs op(A)[rowStart..rowStart+rowCount, p0..p0+kc] as MR-row panels, <see cref="APanelStride"/> apart:
    /// each holds kc groups of MR values (missing rows are 0).</summary>
    private static unsafe void PackA(float* a, bool transA, int m, int k, int rowStart, int rowCount, int p0, int kc, int mr, float* packed)
    {
        long stride = APanelStride(kc, mr);
        int row0 = rowStart;
        if (transA && mr % 8 == 0 && rowCount >= mr && Vector256.IsHardwareAccelerated)
        {
            // The full panels with vector copies, row by row; a last partial panel below, element by element.
            int fullRows = rowCount / mr * mr;
            PackATransposedRows(a, m, rowStart, fullRows, p0, kc, mr, packed, stride);
            row0 += fullRows;
        }
        for (; row0 < rowStart + rowCount; row0 += mr)
        {
            float* dst = packed + (row0 - rowStart) / mr * stride;
            int rows = Math.Min(mr, rowStart + rowCount - row0);
            if (transA)
            {
                // A stored k×m: row p of storage holds op(A)[·, p]; MR consecutive values are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    CopyPaddedRow(a + (long)(p0 + p) * m + row0, 1, rows, dst, mr);
                    dst += mr;
                }
            }
            else
            {
                int p = 0;
                if (mr >= 8 && mr % 4 == 0 && rows == mr && Transpose.IsSupported)
                {
                    // Full rows: transpose 8×8 blocks instead of gathering with stride k (for 12 rows: rows 0–7 and 4–11).
                    float* src = a + (long)row0 * k + p0;
                    for (; p + 8 <= kc; p += 8)
                    {
                        for (int r0 = 0; r0 < mr; r0 = NextEightRows(r0, mr))
                        {
                            PrefetchTransposeSource(src + (long)r0 * k + p, k, p);
                            Transpose.Block8x8(src + (long)r0 * k + p, k, dst + p * mr + r0, mr);
                        }
                    }
                    dst += p * mr;
                }
                for (; p < kc; p++)
                {
                    CopyPaddedRow(a + (long)row0 * k + p0 + p, k, rows, dst, mr);
                    dst += mr;
                }
            }
        }
    }

    /// <summary>Before an 8×8 transpose at column p of 8 rows <paramref name="stride"/> apart: once per cache line (every
    /// other block), requests the same 8 rows two lines further on. The rows are read 32 bytes at a time, 8 streams at a
    /// stride the hardware prefetchers do not follow far enough ahead when the operand is cold. Reading past the end
    /// of a row is harmless: a prefetch never faults.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTransposeSource(float* rows, long stride, int p)
    {
        if (Sse.IsSupported && (p & 15) == 0)
        {
            float* ahead = rows + 32;
            for (int i = 0; i < 8; i++)
            {
                Sse.Prefetch0(ahead + i * stride);
            }
        }
    }

    /// <summary>
    /// Aᵀ stored k×m (the weight gradient's activations, batch rows by units), rowCount/MR full MR-row panels (MR a multiple
    /// of 8): one source row at a time across all the block's panels, so each row's rowCount values are one contiguous read (instead of 32 bytes per panel
    /// from every row, one row 4·m bytes after the other), requested PackPrefetchRows rows ahead. These activations were
    /// written in the forward pass and are cold by the time the backward pass reads them.
    /// </summary>
    private static unsafe void PackATransposedRows(float* a, int m, int rowStart, int rowCount, int p0, int kc, int mr, float* packed, long stride)
    {
        int panels = rowCount / mr;
        for (int p = 0; p < kc; p++)
        {
            float* src = a + (long)(p0 + p) * m + rowStart;
            if (Sse.IsSupported && p + PackPrefetchRows < kc)
            {
                float* ahead = src + PackPrefetchRows * (long)m;
                for (int c = 0; c < rowCount; c += 16)
                {
                    Sse.Prefetch0(ahead + c);
                }
            }
            float* dst = packed + (long)p * mr;
            for (int q = 0; q < panels; q++, src += mr, dst += stride)
            {
                for (int r = 0; r < mr; r += 8)
                {
                    Vector256.Store(Vector256.Load(src + r), dst + r);
                }
            }
        }
    }

    /// <summary>Start of the next 8-row group covering an MR-row panel (MR a multiple of 4, ≥ 8): 0, 8, …, and last
    /// MR − 8, so that 12 rows are 0–7 and 4–11; returns MR when done.</summary>
    private static int NextEightRows(int r0, int mr)
    {
        int next = Math.Min(r0 + 8, mr - 8);
        return next == r0 ? mr : next;
    }

    /// <summary>Packs op(B)[p0..p0+kc, colStart..colEnd] of a transposed B (stored n×k, op(B)[p, j] = b[j·k + p]) as
    /// NR-column panels: panel j holds kc rows of NR values (cols past the end are 0). Full 8-column groups go through
    /// 8×8 register transposes. (B stored k×n is packed by <see cref="PackBRows"/>.)</summary>
    private static unsafe void PackBTransposed(float* b, int k, int p0, int kc, int colStart, int colEnd, int nr, float* dst)
    {
        for (int col0 = colStart; col0 < colEnd; col0 += nr)
        {
            int cols = Math.Min(nr, colEnd - col0);
            int p = 0;
            if (cols == nr && nr % 8 == 0 && Transpose.IsSupported)
            {
                for (; p + 8 <= kc; p += 8)
                {
                    for (int q0 = 0; q0 < nr; q0 += 8)
                    {
                        PrefetchTransposeSource(b + (long)(col0 + q0) * k + p0 + p, k, p);
                        Transpose.Block8x8(b + (long)(col0 + q0) * k + p0 + p, k, dst + p * nr + q0, nr);
                    }
                }
                dst += p * nr;
            }
            for (; p < kc; p++)
            {
                CopyPaddedRow(b + (long)col0 * k + p0 + p, k, cols, dst, nr);
                dst += nr;
            }
        }
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly record struct GemmJob(nint A, bool TransA, nint B, bool TransB, nint C, int M, int N, int K, bool Accumulate,
        int Mc, int Kc, int NcPanels, nint PackedB, nint Flags, int GroupPanels, bool SplitRows,
        nint Bias, nint Output, OutputActivation Activation, RowActivation? Rows);

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

        [ThreadStatic]
        private static float* s_flags;

        [ThreadStatic]
        private static long s_flagsLength;

        public static float* A(long length) => Ensure(ref s_a, ref s_aLength, length);

        public static float* B(long length) => Ensure(ref s_b, ref s_bLength, length);

        public static int* Flags(long length) => (int*)Ensure(ref s_flags, ref s_flagsLength, length);

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
