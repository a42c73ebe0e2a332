using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InitLab.Kernels;

/// <summary>
/// AVX-512 micro-kernel, 24 rows × 16 columns: 24 zmm accumulators and one B row per k-step; each A value is used once,
/// as the embedded-broadcast memory operand of its FMA (<c>vfmadd231ps zmm, zmm, dword ptr [a]{1to16}</c>, checked
/// with <c>DOTNET_JitDisasm</c>), so a k-step is 1 load + 24 FMAs with no separate broadcast instruction. 24 independent
/// chains cover two FMA ports × 4-cycle latency three times over, as Intel's cores need. (A shape that uses each
/// broadcast twice, like 12×32, gets its broadcasts hoisted into a register by the JIT's CSE.)
/// </summary>
internal readonly struct Vector512BroadcastKernel : IMicroKernel
{
    public static int MR => 24;

    public static int NR => 16;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, in TileFinish finish)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        Vector512<float> c12 = default, c13 = default, c14 = default, c15 = default, c16 = default, c17 = default;
        Vector512<float> c18 = default, c19 = default, c20 = default, c21 = default, c22 = default, c23 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> row = Avx512F.LoadVector512(b);
            c0 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[0]), c0);
            c1 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[1]), c1);
            c2 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[2]), c2);
            c3 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[3]), c3);
            c4 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[4]), c4);
            c5 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[5]), c5);
            c6 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[6]), c6);
            c7 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[7]), c7);
            c8 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[8]), c8);
            c9 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[9]), c9);
            c10 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[10]), c10);
            c11 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[11]), c11);
            c12 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[12]), c12);
            c13 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[13]), c13);
            c14 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[14]), c14);
            c15 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[15]), c15);
            c16 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[16]), c16);
            c17 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[17]), c17);
            c18 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[18]), c18);
            c19 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[19]), c19);
            c20 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[20]), c20);
            c21 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[21]), c21);
            c22 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[22]), c22);
            c23 = Avx512F.FusedMultiplyAdd(row, Vector512.Create(a[23]), c23);
            a += 24;
            b += 16;
        }
        Store(c, 0, c0, overwrite, finish);
        Store(c, ldc, c1, overwrite, finish);
        Store(c, 2 * ldc, c2, overwrite, finish);
        Store(c, 3 * ldc, c3, overwrite, finish);
        Store(c, 4 * ldc, c4, overwrite, finish);
        Store(c, 5 * ldc, c5, overwrite, finish);
        Store(c, 6 * ldc, c6, overwrite, finish);
        Store(c, 7 * ldc, c7, overwrite, finish);
        Store(c, 8 * ldc, c8, overwrite, finish);
        Store(c, 9 * ldc, c9, overwrite, finish);
        Store(c, 10 * ldc, c10, overwrite, finish);
        Store(c, 11 * ldc, c11, overwrite, finish);
        Store(c, 12 * ldc, c12, overwrite, finish);
        Store(c, 13 * ldc, c13, overwrite, finish);
        Store(c, 14 * ldc, c14, overwrite, finish);
        Store(c, 15 * ldc, c15, overwrite, finish);
        Store(c, 16 * ldc, c16, overwrite, finish);
        Store(c, 17 * ldc, c17, overwrite, finish);
        Store(c, 18 * ldc, c18, overwrite, finish);
        Store(c, 19 * ldc, c19, overwrite, finish);
        Store(c, 20 * ldc, c20, overwrite, finish);
        Store(c, 21 * ldc, c21, overwrite, finish);
        Store(c, 22 * ldc, c22, overwrite, finish);
        Store(c, 23 * ldc, c23, overwrite, finish);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, int offset, Vector512<float> sum, bool overwrite, in TileFinish finish)
    {
        float* row = c + offset;
        if (!overwrite)
        {
            sum += Vector512.Load(row);
        }
        if (finish.IsActive && finish.Bias != null)
        {
            sum += Vector512.Load(finish.Bias);
        }
        sum.Store(row);
        if (finish.IsActive)
        {
            (finish.Relu ? Vector512.Max(sum, Vector512<float>.Zero) : sum).Store(finish.Output + offset);
        }
    }
}
