using System.Runtime.Intrinsics;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Tests.Optimizers;

/// <summary>
/// The vectorised optimizer updates against their scalar references, bit for bit, on every length 0..3·16+1 (so every
/// mix of 16-, 8-, 4-wide bundles and scalar tail occurs), three steps each, with NaN canaries on both sides of every
/// span. scripts/test.sh reruns this namespace with AVX-512, AVX2 and all intrinsics switched off.
/// </summary>
public class UpdateKernelTests
{
    private const int Steps = 3;

    public static TheoryData<int> Lengths()
    {
        var lengths = new TheoryData<int>();
        for (int n = 0; n <= 3 * Vector512<float>.Count + 1; n++)
        {
            lengths.Add(n);
        }
        return lengths;
    }

    // Each kernel and its reference, over (value, gradient, state1, state2).
    private delegate void Kernel(Span<float> value, ReadOnlySpan<float> gradient, Span<float> state1, Span<float> state2);

    private static readonly (string Name, Kernel Vector, Kernel Reference, bool PositiveState)[] s_kernels =
    [
        ("sgd",
            (w, g, _, _) => UpdateKernels.Sgd(w, g, 0.1f),
            (w, g, _, _) => UpdateKernels.SgdReference(w, g, 0.1f), false),
        ("momentum",
            (w, g, s1, _) => UpdateKernels.Momentum(w, g, s1, 0.1f, 0.9f),
            (w, g, s1, _) => UpdateKernels.MomentumReference(w, g, s1, 0.1f, 0.9f), false),
        ("nesterov",
            (w, g, s1, _) => UpdateKernels.Nesterov(w, g, s1, 0.1f, 0.9f),
            (w, g, s1, _) => UpdateKernels.NesterovReference(w, g, s1, 0.1f, 0.9f), false),
        ("adagrad",
            (w, g, s1, _) => UpdateKernels.Adagrad(w, g, s1, 0.01f, 1e-7f),
            (w, g, s1, _) => UpdateKernels.AdagradReference(w, g, s1, 0.01f, 1e-7f), true),
        ("rmsprop",
            (w, g, s1, _) => UpdateKernels.RmsProp(w, g, s1, 0.001f, 0.9f, 0.1f, 1e-7f),
            (w, g, s1, _) => UpdateKernels.RmsPropReference(w, g, s1, 0.001f, 0.9f, 0.1f, 1e-7f), true),
        ("rmsprop_momentum",
            (w, g, s1, s2) => UpdateKernels.RmsPropMomentum(w, g, s1, s2, 0.001f, 0.9f, 0.1f, 1e-7f, 0.5f),
            (w, g, s1, s2) => UpdateKernels.RmsPropMomentumReference(w, g, s1, s2, 0.001f, 0.9f, 0.1f, 1e-7f, 0.5f), true),
        ("adam",
            (w, g, s1, s2) => UpdateKernels.Adam(w, g, s1, s2, 0.003f, 0.9f, 0.1f, 0.999f, 0.001f, 1e-7f),
            (w, g, s1, s2) => UpdateKernels.AdamReference(w, g, s1, s2, 0.003f, 0.9f, 0.1f, 0.999f, 0.001f, 1e-7f), true),
    ];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Kernels_EveryLength_MatchScalarReferenceBitForBit(int n)
    {
        foreach (var (name, vector, reference, positiveState) in s_kernels)
        {
            var rng = new Rng((ulong)(1000 + n));
            // Arrays of n + 2: a NaN canary at each end, the span in between.
            float[] value = Canaried(n, () => (float)rng.Uniform(-2, 2));
            float[] state1 = Canaried(n, () => (float)(positiveState ? rng.Uniform(0, 1) : rng.Uniform(-1, 1)));
            float[] state2 = Canaried(n, () => (float)rng.Uniform(0, 1));
            float[][] gradients = [.. Enumerable.Range(0, Steps).Select(_ => Canaried(n, () => (float)rng.Normal(0, 1)))];
            float[] value2 = (float[])value.Clone(), state1b = (float[])state1.Clone(), state2b = (float[])state2.Clone();
            for (int step = 0; step < Steps; step++)
            {
                vector(value.AsSpan(1, n), gradients[step].AsSpan(1, n), state1.AsSpan(1, n), state2.AsSpan(1, n));
                reference(value2.AsSpan(1, n), gradients[step].AsSpan(1, n), state1b.AsSpan(1, n), state2b.AsSpan(1, n));
            }
            AssertBits(value2, value, $"{name} values, n = {n}");
            AssertBits(state1b, state1, $"{name} state 1, n = {n}");
            AssertBits(state2b, state2, $"{name} state 2, n = {n}");
            foreach (float[] array in new[] { value, state1, state2 })
            {
                Assert.True(float.IsNaN(array[0]) && float.IsNaN(array[^1]), $"{name}: a canary was overwritten (n = {n})");
            }
            // Equal NaN bits would pass vacuously: the updated values must be ordinary numbers.
            Assert.All(value[1..^1], v => Assert.True(float.IsFinite(v), $"{name}: non-finite value {v} (n = {n})"));
        }
    }

    [Fact]
    public void Kernels_StateShorterThanValues_ThrowsInsteadOfReadingPastTheEnd()
    {
        var error = Assert.Throws<ArgumentException>(() => UpdateKernels.Adam(new float[17], new float[17], new float[17], new float[16], 0.1f, 0.9f, 0.1f, 0.999f, 0.001f, 1e-7f));
        Assert.Contains("17 values", error.Message, StringComparison.Ordinal);
    }

    private static float[] Canaried(int n, Func<float> next)
    {
        var array = new float[n + 2];
        array[0] = float.NaN;
        array[^1] = float.NaN;
        for (int i = 1; i <= n; i++)
        {
            array[i] = next();
        }
        return array;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i - 1} is {actual[i]:R}, reference {expected[i]:R}");
        }
    }
}
