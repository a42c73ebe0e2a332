using System.Numerics.Tensors;

namespace InitLab.Activations;

// The hot activations of the practicals and benchmarks: forward passes through TensorPrimitives where it is exact
// enough (relu, sigmoid), otherwise through the vector forward loop of ElementwiseActivation (tanh, leaky relu, elu,
// selu, gelu); backward passes through its one vector loop. The tests compare both with the scalar formulas on every
// length 0..3·16+1.

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
}

/// <summary>Leaky ReLU with negative slope α (Keras's default 0.2; PyTorch's 0.01).</summary>
/// <param name="negativeSlope">α, the slope for z ≤ 0; finite and ≥ 0.</param>
public sealed class LeakyRelu(double negativeSlope = 0.2)
    : ElementwiseActivation<LeakyReluFormula>(FormattableString.Invariant($"leaky_relu({negativeSlope})"), negativeSlope)
{
}

/// <summary>tanh, with dz = (1 − a²)·da.</summary>
/// <remarks>The float forward pass is InitLab's own vector form (<see cref="TanhFormula.ValueVector"/>), not
/// TensorPrimitives.Tanh (System.Numerics.Tensors 11.0.0): that returns 5.96e-8 for tanh(0), which would let an
/// all-zero tanh network creep away from zero — exactly the effect the zero-tanh practical must show does not exist —
/// and is off by millions of ulps for |z| near 1e-8.</remarks>
public sealed class Tanh() : ElementwiseActivation<TanhFormula>("tanh")
{
}

/// <summary>The logistic sigmoid, with dz = a(1 − a)·da.</summary>
public sealed class Sigmoid() : ElementwiseActivation<SigmoidFormula>("sigmoid")
{
    /// <inheritdoc />
    /// <remarks>False: TensorPrimitives.Sigmoid may take another path for a short tail than for full vectors.</remarks>
    internal override bool SameBitsForAnySpan => false;

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
}
