using System.Runtime.CompilerServices;

namespace InitLab.Optimizers;

// Each rule is one element's update, written once for every lane width (see Lanes.cs). The order of operations is
// the one of UpdateKernels.Reference.cs, which the kernel tests compare bit for bit. Factors such as 1 − β₂ arrive
// computed in double and rounded once, as Keras computes them in Python: 1 − 0.999f in float would be 1.3e-5 off.

/// <summary>One optimizer's per-element update: the new value, and the updated state in place.</summary>
internal interface IUpdateRule
{
    /// <summary>Whether the rule keeps a second state tensor (Adam's v, RMSprop's momentum).</summary>
    static abstract bool UsesSecondState { get; }

    /// <summary>Updates the state and returns the new value.</summary>
    TL Apply<TL>(TL value, TL gradient, ref TL state1, ref TL state2)
        where TL : struct, ILanes<TL>;
}

/// <summary>Plain SGD, w ← (−lr)·g + w, rounded like Keras's w − lr·g: a product, then a sum (the bits Sgd had from
/// TensorPrimitives.MultiplyAdd before it moved to this kernel).</summary>
internal readonly struct SgdRule(float negativeLearningRate) : IUpdateRule
{
    public static bool UsesSecondState => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL unused1, ref TL unused2)
        where TL : struct, ILanes<TL> =>
        gradient * TL.Broadcast(negativeLearningRate) + value;
}

/// <summary>
/// A kernel's L2 and weight decay in the same pass as its update (Optimizer.Step's order, per element): the coupled
/// gradient g ← w·λ₂ + g with the old w, then the decoupled shrink w ← w·(1 − lr·λ), then <typeparamref name="TRule"/>.
/// Each is the one product and one sum (or one product) of the separate TensorPrimitives passes it replaces, so the
/// bits are theirs; the weights are read and written once instead of up to three times.
/// </summary>
internal readonly struct ShrinkRule<TRule>(TRule inner, Shrink shrink) : IUpdateRule
    where TRule : struct, IUpdateRule
{
    public static bool UsesSecondState => TRule.UsesSecondState;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL state1, ref TL state2)
        where TL : struct, ILanes<TL>
    {
        if (shrink.Coupled)
        {
            gradient = value * TL.Broadcast(shrink.L2) + gradient;
        }
        if (shrink.Decoupled)
        {
            value = value * TL.Broadcast(shrink.DecayFactor);
        }
        return inner.Apply(value, gradient, ref state1, ref state2);
    }
}

/// <summary>Keras SGD with momentum: v ← μ·v − lr·g; w ← w + v.</summary>
internal readonly struct MomentumRule(float learningRate, float momentum) : IUpdateRule
{
    public static bool UsesSecondState => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL velocity, ref TL unused)
        where TL : struct, ILanes<TL>
    {
        velocity = TL.Broadcast(momentum) * velocity - TL.Broadcast(learningRate) * gradient;
        return value + velocity;
    }
}

/// <summary>Keras SGD with Nesterov momentum: v ← μ·v − lr·g; w ← w + μ·v − lr·g (the look-ahead uses the new v).</summary>
internal readonly struct NesterovRule(float learningRate, float momentum) : IUpdateRule
{
    public static bool UsesSecondState => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL velocity, ref TL unused)
        where TL : struct, ILanes<TL>
    {
        TL mu = TL.Broadcast(momentum);
        TL step = TL.Broadcast(learningRate) * gradient;
        velocity = mu * velocity - step;
        return value + (mu * velocity - step);
    }
}

/// <summary>Keras Adagrad: a ← a + g²; w ← w − lr·g/√(a + ε).</summary>
internal readonly struct AdagradRule(float learningRate, float epsilon) : IUpdateRule
{
    public static bool UsesSecondState => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL accumulator, ref TL unused)
        where TL : struct, ILanes<TL>
    {
        accumulator = accumulator + gradient * gradient;
        return value - TL.Broadcast(learningRate) * gradient / TL.Sqrt(accumulator + TL.Broadcast(epsilon));
    }
}

/// <summary>Keras RMSprop without momentum: v ← ρ·v + (1 − ρ)·g²; w ← w − lr·g/√(v + ε).</summary>
internal readonly struct RmsPropRule(float learningRate, float rho, float oneMinusRho, float epsilon) : IUpdateRule
{
    public static bool UsesSecondState => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL meanSquare, ref TL unused)
        where TL : struct, ILanes<TL>
    {
        meanSquare = TL.Broadcast(rho) * meanSquare + TL.Broadcast(oneMinusRho) * gradient * gradient;
        return value - TL.Broadcast(learningRate) * gradient / TL.Sqrt(meanSquare + TL.Broadcast(epsilon));
    }
}

/// <summary>Keras RMSprop with momentum μ: v as without; m ← μ·m + lr·g/√(v + ε); w ← w − m.</summary>
internal readonly struct RmsPropMomentumRule(float learningRate, float rho, float oneMinusRho, float epsilon, float momentum) : IUpdateRule
{
    public static bool UsesSecondState => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL meanSquare, ref TL velocity)
        where TL : struct, ILanes<TL>
    {
        meanSquare = TL.Broadcast(rho) * meanSquare + TL.Broadcast(oneMinusRho) * gradient * gradient;
        velocity = TL.Broadcast(momentum) * velocity + TL.Broadcast(learningRate) * gradient / TL.Sqrt(meanSquare + TL.Broadcast(epsilon));
        return value - velocity;
    }
}

/// <summary>Keras Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; w ← w − α_t·m/(√v + ε), α_t bias-corrected by the caller.</summary>
internal readonly struct AdamRule(float alpha, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float epsilon) : IUpdateRule
{
    public static bool UsesSecondState => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Apply<TL>(TL value, TL gradient, ref TL m, ref TL v)
        where TL : struct, ILanes<TL>
    {
        m = TL.Broadcast(beta1) * m + TL.Broadcast(oneMinusBeta1) * gradient;
        v = TL.Broadcast(beta2) * v + TL.Broadcast(oneMinusBeta2) * gradient * gradient;
        return value - TL.Broadcast(alpha) * m / (TL.Sqrt(v) + TL.Broadcast(epsilon));
    }
}
