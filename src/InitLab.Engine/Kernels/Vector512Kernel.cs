using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace InitLab.Kernels;

/// <summary>
/// AVX-512 micro-kernel, 8 rows × 32 columns: 16 zmm accumulators, 2 loads of B and 8 broadcasts of A per k step,
/// 16 FMAs — enough independent chains to cover the 4-cycle FMA latency on both 512-bit pipes.
/// </summary>
internal readonly struct Vector512Kernel : IMicroKernel
{
    public static int MR => 8;

    public static int NR => 32;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, in TileFinish finish)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(av, b1, c71);
            a += 8;
            b += 32;
        }
        Store(c, 0, c00, c01, overwrite, finish);
        Store(c, ldc, c10, c11, overwrite, finish);
        Store(c, 2 * ldc, c20, c21, overwrite, finish);
        Store(c, 3 * ldc, c30, c31, overwrite, finish);
        Store(c, 4 * ldc, c40, c41, overwrite, finish);
        Store(c, 5 * ldc, c50, c51, overwrite, finish);
        Store(c, 6 * ldc, c60, c61, overwrite, finish);
        Store(c, 7 * ldc, c70, c71, overwrite, finish);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, int offset, Vector512<float> left, Vector512<float> right, bool overwrite, in TileFinish finish)
    {
        float* row = c + offset;
        if (!overwrite)
        {
            left += Vector512.Load(row);
            right += Vector512.Load(row + 16);
        }
        if (finish.IsActive && finish.Bias != null)
        {
            left += Vector512.Load(finish.Bias);
            right += Vector512.Load(finish.Bias + 16);
        }
        left.Store(row);
        right.Store(row + 16);
        if (finish.IsActive)
        {
            float* output = finish.Output + offset;
            (finish.Relu ? Vector512.Max(left, Vector512<float>.Zero) : left).Store(output);
            (finish.Relu ? Vector512.Max(right, Vector512<float>.Zero) : right).Store(output + 16);
        }
    }
}
