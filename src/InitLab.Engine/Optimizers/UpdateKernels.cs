using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace InitLab.Optimizers;

/// <summary>
/// The optimizers' elementwise updates, vectorised: 16-float AVX-512 bundles while they fit, then one 8-float and one
/// 4-float bundle, then scalars — all through the same rule (UpdateRules.cs), so every element gets the bits of the
/// scalar reference (UpdateKernels.Reference.cs) whatever the width or the instruction set. Nothing is allocated.
/// </summary>
internal static partial class UpdateKernels
{
    // Every update takes an optional Shrink: L2 and weight decay folded into the same pass (ShrinkRule).

    public static void Sgd(Span<float> value, ReadOnlySpan<float> gradient, float learningRate, Shrink shrink = default) =>
        Run(new SgdRule(-learningRate), value, gradient, value, default, shrink, usesState: false);

    public static void Momentum(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum,
        Shrink shrink = default) =>
        Run(new MomentumRule(learningRate, momentum), value, gradient, velocity, default, shrink);

    public static void Nesterov(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum,
        Shrink shrink = default) =>
        Run(new NesterovRule(learningRate, momentum), value, gradient, velocity, default, shrink);

    public static void Adagrad(Span<float> value, ReadOnlySpan<float> gradient, Span<float> accumulator, float learningRate, float epsilon,
        Shrink shrink = default) =>
        Run(new AdagradRule(learningRate, epsilon), value, gradient, accumulator, default, shrink);

    public static void RmsProp(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquare, float learningRate, float rho, float oneMinusRho,
        float epsilon, Shrink shrink = default) =>
        Run(new RmsPropRule(learningRate, rho, oneMinusRho, epsilon), value, gradient, meanSquare, default, shrink);

    public static void RmsPropMomentum(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquare, Span<float> velocity,
        float learningRate, float rho, float oneMinusRho, float epsilon, float momentum, Shrink shrink = default) =>
        Run(new RmsPropMomentumRule(learningRate, rho, oneMinusRho, epsilon, momentum), value, gradient, meanSquare, velocity, shrink);

    public static void Adam(Span<float> value, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float alpha, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float epsilon, Shrink shrink = default) =>
        Run(new AdamRule(alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon), value, gradient, m, v, shrink);

    /// <summary>Runs <paramref name="rule"/>, wrapped in a <see cref="ShrinkRule{TRule}"/> when <paramref name="shrink"/> asks.
    /// A stateless rule passes the values as its (unused) state, which the loop reads and writes back unchanged.</summary>
    private static void Run<TRule>(TRule rule, Span<float> value, ReadOnlySpan<float> gradient, Span<float> state1, Span<float> state2,
        Shrink shrink, bool usesState = true)
        where TRule : struct, IUpdateRule
    {
        if (!usesState)
        {
            // The state loop stores state1 after the value, so it cannot take the values as a stand-in state.
            if (shrink.IsActive)
            {
                RunStateless(new ShrinkRule<TRule>(rule, shrink), value, gradient);
            }
            else
            {
                RunStateless(rule, value, gradient);
            }
            return;
        }
        if (shrink.IsActive)
        {
            Run(new ShrinkRule<TRule>(rule, shrink), value, gradient, state1, state2);
        }
        else
        {
            Run(rule, value, gradient, state1, state2);
        }
    }

    private static void Run<TRule>(TRule rule, Span<float> value, ReadOnlySpan<float> gradient, Span<float> state1, Span<float> state2)
        where TRule : struct, IUpdateRule
    {
        int n = value.Length;
        // The loops read and write through refs without bounds checks: every span must be exactly as long as the values.
        if (gradient.Length != n || state1.Length != n || (TRule.UsesSecondState && state2.Length != n))
        {
            ThrowLengths(n, gradient.Length, state1.Length, state2.Length);
        }
        ref float w = ref MemoryMarshal.GetReference(value);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float s1 = ref MemoryMarshal.GetReference(state1);
        ref float s2 = ref TRule.UsesSecondState ? ref MemoryMarshal.GetReference(state2) : ref s1;
        int i = 0;
        if (Lanes512.IsAccelerated)
        {
            i = RunLanes<TRule, Lanes512>(rule, ref w, ref g, ref s1, ref s2, i, n);
        }
        if (Lanes256.IsAccelerated)
        {
            i = RunLanes<TRule, Lanes256>(rule, ref w, ref g, ref s1, ref s2, i, n);
        }
        if (Lanes128.IsAccelerated)
        {
            i = RunLanes<TRule, Lanes128>(rule, ref w, ref g, ref s1, ref s2, i, n);
        }
        RunLanes<TRule, ScalarLanes>(rule, ref w, ref g, ref s1, ref s2, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RunLanes<TRule, TL>(TRule rule, ref float w, ref float g, ref float s1, ref float s2, int i, int n)
        where TRule : struct, IUpdateRule
        where TL : struct, ILanes<TL>
    {
        for (; i <= n - TL.Count; i += TL.Count)
        {
            TL state1 = TL.Load(ref s1, i);
            TL state2 = TRule.UsesSecondState ? TL.Load(ref s2, i) : default;
            TL updated = rule.Apply(TL.Load(ref w, i), TL.Load(ref g, i), ref state1, ref state2);
            TL.Store(updated, ref w, i);
            TL.Store(state1, ref s1, i);
            if (TRule.UsesSecondState)
            {
                TL.Store(state2, ref s2, i);
            }
        }
        return i;
    }

    /// <summary>The loop of a rule without state (plain SGD): the same widths, in the same order, as the state loop.</summary>
    private static void RunStateless<TRule>(TRule rule, Span<float> value, ReadOnlySpan<float> gradient)
        where TRule : struct, IUpdateRule
    {
        int n = value.Length;
        if (gradient.Length != n)
        {
            ThrowLengths(n, gradient.Length, 0, 0);
        }
        ref float w = ref MemoryMarshal.GetReference(value);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int i = 0;
        if (Lanes512.IsAccelerated)
        {
            i = RunStatelessLanes<TRule, Lanes512>(rule, ref w, ref g, i, n);
        }
        if (Lanes256.IsAccelerated)
        {
            i = RunStatelessLanes<TRule, Lanes256>(rule, ref w, ref g, i, n);
        }
        if (Lanes128.IsAccelerated)
        {
            i = RunStatelessLanes<TRule, Lanes128>(rule, ref w, ref g, i, n);
        }
        RunStatelessLanes<TRule, ScalarLanes>(rule, ref w, ref g, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RunStatelessLanes<TRule, TL>(TRule rule, ref float w, ref float g, int i, int n)
        where TRule : struct, IUpdateRule
        where TL : struct, ILanes<TL>
    {
        TL none = default;
        for (; i <= n - TL.Count; i += TL.Count)
        {
            TL.Store(rule.Apply(TL.Load(ref w, i), TL.Load(ref g, i), ref none, ref none), ref w, i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengths(int values, int gradient, int state1, int state2) =>
        throw new ArgumentException($"Optimizer update: {values} values but {gradient} gradient entries and state of {state1} / {state2}.");
}
