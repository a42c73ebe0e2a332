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
    public static void Momentum(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum) =>
        Run(new MomentumRule(learningRate, momentum), value, gradient, velocity, default);

    public static void Nesterov(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum) =>
        Run(new NesterovRule(learningRate, momentum), value, gradient, velocity, default);

    public static void Adagrad(Span<float> value, ReadOnlySpan<float> gradient, Span<float> accumulator, float learningRate, float epsilon) =>
        Run(new AdagradRule(learningRate, epsilon), value, gradient, accumulator, default);

    public static void RmsProp(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquare, float learningRate, float rho, float oneMinusRho,
        float epsilon) =>
        Run(new RmsPropRule(learningRate, rho, oneMinusRho, epsilon), value, gradient, meanSquare, default);

    public static void RmsPropMomentum(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquare, Span<float> velocity,
        float learningRate, float rho, float oneMinusRho, float epsilon, float momentum) =>
        Run(new RmsPropMomentumRule(learningRate, rho, oneMinusRho, epsilon, momentum), value, gradient, meanSquare, velocity);

    public static void Adam(Span<float> value, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float alpha, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float epsilon) =>
        Run(new AdamRule(alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon), value, gradient, m, v);

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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengths(int values, int gradient, int state1, int state2) =>
        throw new ArgumentException($"Optimizer update: {values} values but {gradient} gradient entries and state of {state1} / {state2}.");
}
