using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace InitLab.Kernels;

/// <summary>
/// AVX2 micro-kernel, 6 rows × 16 columns: 12 ymm accumulators + 2 B loads + 1 broadcast fit the 16 ymm registers.
/// </summary>
internal readonly struct Vector256Kernel : IMicroKernel
{
    public static int MR => 6;

    public static int NR => 16;

    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, in TileFinish finish)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }
        Store(c, 0, c00, c01, overwrite, finish);
        Store(c, ldc, c10, c11, overwrite, finish);
        Store(c, 2 * ldc, c20, c21, overwrite, finish);
        Store(c, 3 * ldc, c30, c31, overwrite, finish);
        Store(c, 4 * ldc, c40, c41, overwrite, finish);
        Store(c, 5 * ldc, c50, c51, overwrite, finish);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, int offset, Vector256<float> left, Vector256<float> right, bool overwrite, in TileFinish finish)
    {
        float* row = c + offset;
        if (!overwrite)
        {
            left += Vector256.Load(row);
            right += Vector256.Load(row + 8);
        }
        if (finish.IsActive && finish.Bias != null)
        {
            left += Vector256.Load(finish.Bias);
            right += Vector256.Load(finish.Bias + 8);
        }
        left.Store(row);
        right.Store(row + 8);
        if (finish.IsActive)
        {
            float* output = finish.Output + offset;
            (finish.Relu ? Vector256.Max(left, Vector256<float>.Zero) : left).Store(output);
            (finish.Relu ? Vector256.Max(right, Vector256<float>.Zero) : right).Store(output + 8);
        }
    }
}
