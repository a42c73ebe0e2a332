using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InitLab.Kernels;

/// <summary>8×8 float transposes in registers, used to pack row-major operands into the micro-kernel's column panels.</summary>
internal static class Transpose
{
    /// <summary>Whether the AVX path is available (otherwise callers pack element by element).</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>dst row j (at dst + j·dstStride) = column j of the 8×8 block whose row i starts at src + i·srcStride.</summary>
    /// <remarks>The classic unpack/shuffle/permute network: 8 loads, 24 shuffles, 8 stores; values are moved, never
    /// computed, so the result is exact.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Block8x8(float* src, long srcStride, float* dst, long dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride);
        Vector256<float> r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride);
        Vector256<float> r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride);
        Vector256<float> r7 = Avx.LoadVector256(src + 7 * srcStride);

        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}
