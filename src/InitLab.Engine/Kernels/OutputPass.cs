using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace InitLab.Kernels;

/// <summary>
/// The elementwise output pass of a dense layer, z += b and a = φ(z), over one row piece. The fused GEMM
/// (<see cref="Gemm.MultiplyBiasActivation"/>) calls it on each row of a tile right after the micro-kernel stored the
/// tile's last k-block, while the tile is still in L1, instead of a separate pass over the whole output.
/// </summary>
/// <remarks>
/// Each element gets one float addition (z + b, skipped without a bias) and then φ, whatever the vector width: 16-lane
/// (AVX-512) chunks, then 8-lane (AVX2) chunks, then a scalar tail all compute the same single add and the same max,
/// so every path, every row cut and every tile shape gives the bits of the scalar reference (<c>widthBits</c> = 0).
/// Vector512/256.Max propagate NaN like the scalar form, so a diverging z never becomes 0.
/// </remarks>
internal static class OutputPass
{
    /// <summary>The widest vector path this machine runs: 512 (AVX-512), 256 (AVX2), or 0 (scalar).</summary>
    public static int Width => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    /// <summary>z += <paramref name="bias"/> (unless empty) and a = φ(z) for one row piece, on the widest path.</summary>
    public static void Row(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, OutputActivation activation, RowActivation? rows) =>
        Row(z, bias, a, activation, rows, Width);

    /// <summary>
    /// z += <paramref name="bias"/> (unless empty) and a = φ(z) for one row piece of <c>z.Length</c> values.
    /// <paramref name="widthBits"/> caps the vector width (512, 256 or 0 for the scalar reference), so every path can be
    /// tested on a machine that has it. <paramref name="a"/> may be <paramref name="z"/> itself.
    /// </summary>
    public static void Row(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, OutputActivation activation, RowActivation? rows, int widthBits)
    {
        switch (activation)
        {
            case OutputActivation.Relu:
                if (bias.IsEmpty)
                {
                    Relu(z, a, widthBits);
                }
                else
                {
                    BiasRelu(z, bias, a, widthBits);
                }
                break;
            case OutputActivation.Linear:
                if (!bias.IsEmpty)
                {
                    TensorPrimitives.Add(z, bias[..z.Length], z);
                }
                z.CopyTo(a);
                break;
            default:
                if (!bias.IsEmpty)
                {
                    TensorPrimitives.Add(z, bias[..z.Length], z);
                }
                rows!.Apply(z, a);
                break;
        }
    }

    private static void BiasRelu(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, int widthBits)
    {
        int cols = z.Length;
        int j = 0;
        if (widthBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<float>.Count <= cols; j += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.Create(z.Slice(j, Vector512<float>.Count)) + Vector512.Create(bias.Slice(j, Vector512<float>.Count));
                v.CopyTo(z.Slice(j));
                Vector512.Max(v, Vector512<float>.Zero).CopyTo(a.Slice(j));
            }
        }
        if (widthBits >= 256 && Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= cols; j += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.Create(z.Slice(j, Vector256<float>.Count)) + Vector256.Create(bias.Slice(j, Vector256<float>.Count));
                v.CopyTo(z.Slice(j));
                Vector256.Max(v, Vector256<float>.Zero).CopyTo(a.Slice(j));
            }
        }
        for (; j < cols; j++)
        {
            float v = z[j] + bias[j];
            z[j] = v;
            a[j] = float.IsNaN(v) ? v : Math.Max(v, 0f);
        }
    }

    private static void Relu(ReadOnlySpan<float> z, Span<float> a, int widthBits)
    {
        int cols = z.Length;
        int j = 0;
        if (widthBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<float>.Count <= cols; j += Vector512<float>.Count)
            {
                Vector512.Max(Vector512.Create(z.Slice(j, Vector512<float>.Count)), Vector512<float>.Zero).CopyTo(a.Slice(j));
            }
        }
        if (widthBits >= 256 && Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= cols; j += Vector256<float>.Count)
            {
                Vector256.Max(Vector256.Create(z.Slice(j, Vector256<float>.Count)), Vector256<float>.Zero).CopyTo(a.Slice(j));
            }
        }
        for (; j < cols; j++)
        {
            float v = z[j];
            a[j] = float.IsNaN(v) ? v : Math.Max(v, 0f);
        }
    }
}
