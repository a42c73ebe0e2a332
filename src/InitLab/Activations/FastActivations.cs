using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace InitLab.Activations;

// The hot activations of the practicals and benchmarks get vector loops (System.Numerics.Vector<T>: 8 floats with
// AVX2/AVX-512, a software fallback without SIMD). Each keeps the scalar formula of its struct as the definition;
// the tests compare the two on every length 0..3·width+1.

/// <summary>The identity, a = z.</summary>
public sealed class Linear() : ElementwiseActivation<LinearFormula>("linear")
{
    /// <inheritdoc />
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int cols)
    {
        CheckLengths(z.Length, a.Length);
        z.CopyTo(a);
    }

    /// <inheritdoc />
    public override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
    {
        CheckLengths(z.Length, dz.Length);
        da.CopyTo(dz);
    }
}

/// <summary>ReLU, a = max(z, 0) (NaN propagates, so divergence is never hidden).</summary>
public sealed class Relu() : ElementwiseActivation<ReluFormula>("relu")
{
    /// <inheritdoc />
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int cols)
    {
        CheckLengths(z.Length, a.Length);
        TensorPrimitives.Max(z, T.Zero, a);
    }

    /// <inheritdoc />
    public override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
    {
        CheckLengths(z.Length, dz.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var zv = MemoryMarshal.Cast<T, Vector<T>>(z);
            var dav = MemoryMarshal.Cast<T, Vector<T>>(da);
            var dzv = MemoryMarshal.Cast<T, Vector<T>>(dz);
            for (int v = 0; v < zv.Length; v++)
            {
                dzv[v] = Vector.ConditionalSelect(Vector.GreaterThan(zv[v], Vector<T>.Zero), dav[v], Vector<T>.Zero);
            }
            i = zv.Length * Vector<T>.Count;
        }
        for (; i < z.Length; i++)
        {
            dz[i] = z[i] > T.Zero ? da[i] : T.Zero;
        }
    }
}

/// <summary>Leaky ReLU with negative slope α (Keras's default 0.2; PyTorch's 0.01).</summary>
/// <param name="negativeSlope">α, the slope for z ≤ 0; finite and ≥ 0.</param>
public sealed class LeakyRelu(double negativeSlope = 0.2)
    : ElementwiseActivation<LeakyReluFormula>(FormattableString.Invariant($"leaky_relu({negativeSlope})"), negativeSlope)
{
    /// <inheritdoc />
    public override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
    {
        CheckLengths(z.Length, dz.Length);
        T alpha = T.CreateChecked(Alpha);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var zv = MemoryMarshal.Cast<T, Vector<T>>(z);
            var dav = MemoryMarshal.Cast<T, Vector<T>>(da);
            var dzv = MemoryMarshal.Cast<T, Vector<T>>(dz);
            var alphaV = new Vector<T>(alpha);
            for (int v = 0; v < zv.Length; v++)
            {
                dzv[v] = Vector.ConditionalSelect(Vector.GreaterThan(zv[v], Vector<T>.Zero), dav[v], dav[v] * alphaV);
            }
            i = zv.Length * Vector<T>.Count;
        }
        for (; i < z.Length; i++)
        {
            dz[i] = z[i] > T.Zero ? da[i] : da[i] * alpha;
        }
    }
}

/// <summary>tanh, with dz = (1 − a²)·da.</summary>
/// <remarks>The forward pass is the scalar <c>T.Tanh</c> on purpose: TensorPrimitives.Tanh (System.Numerics.Tensors
/// 11.0.0) returns 5.96e-8 for tanh(0), which would let an all-zero tanh network creep away from zero — exactly the
/// effect the zero-tanh practical must show does not exist.</remarks>
public sealed class Tanh() : ElementwiseActivation<TanhFormula>("tanh")
{
    /// <inheritdoc />
    public override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
    {
        CheckLengths(z.Length, dz.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var av = MemoryMarshal.Cast<T, Vector<T>>(a);
            var dav = MemoryMarshal.Cast<T, Vector<T>>(da);
            var dzv = MemoryMarshal.Cast<T, Vector<T>>(dz);
            for (int v = 0; v < av.Length; v++)
            {
                dzv[v] = (Vector<T>.One - av[v] * av[v]) * dav[v];
            }
            i = av.Length * Vector<T>.Count;
        }
        for (; i < z.Length; i++)
        {
            dz[i] = (T.One - a[i] * a[i]) * da[i];
        }
    }
}

/// <summary>The logistic sigmoid, with dz = a(1 − a)·da.</summary>
public sealed class Sigmoid() : ElementwiseActivation<SigmoidFormula>("sigmoid")
{
    /// <inheritdoc />
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int cols)
    {
        CheckLengths(z.Length, a.Length);
        if (!z.IsEmpty)
        {
            // TensorPrimitives.Sigmoid rejects empty spans (unlike its siblings).
            TensorPrimitives.Sigmoid(z, a);
        }
    }

    /// <inheritdoc />
    public override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
    {
        CheckLengths(z.Length, dz.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var av = MemoryMarshal.Cast<T, Vector<T>>(a);
            var dav = MemoryMarshal.Cast<T, Vector<T>>(da);
            var dzv = MemoryMarshal.Cast<T, Vector<T>>(dz);
            for (int v = 0; v < av.Length; v++)
            {
                dzv[v] = av[v] * (Vector<T>.One - av[v]) * dav[v];
            }
            i = av.Length * Vector<T>.Count;
        }
        for (; i < z.Length; i++)
        {
            dz[i] = a[i] * (T.One - a[i]) * da[i];
        }
    }
}
