using InitLab.Kernels;
using InitLab.Random;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Kernels;

/// <summary>
/// The GEMM's fused output pass (z = op(A)·op(B) + b, a = φ(z), applied tile by tile): every forced kernel, with this
/// CPU's blocking and a tiny one (so tiles of every edge shape and several k-blocks occur), against the same kernel's
/// plain product followed by the bias and φ worked out here element by element. Adding b once and applying φ are exact
/// per element, so the bits must be identical (no tolerance); 1, 2 and 3 threads too; NaN canaries around z and a.
/// </summary>
public class GemmOutputPassTests
{
    /// <summary>An elementwise φ with no library code in it: a = z·z − 0.5.</summary>
    private sealed class SquareMinusHalf : RowActivation
    {
        public override void Apply(ReadOnlySpan<float> z, Span<float> a)
        {
            for (int i = 0; i < z.Length; i++)
            {
                a[i] = Formula(z[i]);
            }
        }

        public static float Formula(float z) => z * z - 0.5f;
    }

    private static readonly RowActivation Square = new SquareMinusHalf();

    private static float Expected(float z, OutputActivation activation) => activation switch
    {
        OutputActivation.Relu => float.IsNaN(z) ? z : z > 0 ? z : 0f,
        OutputActivation.Linear => z,
        _ => SquareMinusHalf.Formula(z),
    };

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(0)]
    public void Row_EveryWidthAndActivation_MatchesElementFormula(int widthBits)
    {
        var rng = new Rng(12);
        for (int cols = 0; cols <= 3 * 16 + 1; cols++)
        {
            float[] bias = GemmTests.RandomArray(rng, cols);
            float[] input = [.. Enumerable.Range(0, cols).Select(i => i % 11 == 5 ? float.NaN : i % 13 == 7 ? -0f : (float)rng.Uniform(-2, 2))];
            foreach (OutputActivation activation in Enum.GetValues<OutputActivation>())
            {
                foreach (bool withBias in new[] { true, false })
                {
                    var z = new float[cols + 2];
                    var a = new float[cols + 2];
                    Array.Fill(a, float.NaN);
                    z[0] = z[^1] = float.NaN;
                    input.CopyTo(z, 1);
                    OutputPass.Row(z.AsSpan(1, cols), withBias ? bias : default, a.AsSpan(1, cols), activation, Square, widthBits);
                    Assert.True(float.IsNaN(z[0]) && float.IsNaN(z[^1]) && float.IsNaN(a[0]) && float.IsNaN(a[^1]), "wrote outside the row");
                    for (int j = 0; j < cols; j++)
                    {
                        float zj = withBias ? input[j] + bias[j] : input[j];
                        Assert.Equal(zj, z[j + 1]);
                        Assert.Equal(Expected(zj, activation), a[j + 1]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Row_ReluOfNegativeZeroAndNaN_IsZeroAndNaN()
    {
        float[] z = [-0f, float.NaN, -1f, 2f];
        float[] a = new float[4];
        OutputPass.Row(z, default, a, OutputActivation.Relu, null, OutputPass.Width);
        Assert.Equal(0f, a[0]);
        Assert.False(float.IsNegative(a[0]), "max(−0, 0) must be +0, as TensorPrimitives.Max gives");
        Assert.True(float.IsNaN(a[1]));
        Assert.Equal([0f, 2f], a[2..]);
    }

    [KernelFact(GemmKernel.Avx512X8x32)]
    public void Avx512X8x32_FusedOutputPass_EqualsProductThenBiasActivation() => FusedEqualsUnfused(GemmKernel.Avx512X8x32);

    [KernelFact(GemmKernel.Avx512X24x16)]
    public void Avx512X24x16_FusedOutputPass_EqualsProductThenBiasActivation() => FusedEqualsUnfused(GemmKernel.Avx512X24x16);

    [KernelFact(GemmKernel.Avx2X6x16)]
    public void Avx2X6x16_FusedOutputPass_EqualsProductThenBiasActivation() => FusedEqualsUnfused(GemmKernel.Avx2X6x16);

    [KernelFact(GemmKernel.Scalar)]
    public void Scalar_FusedOutputPass_EqualsProductThenBiasActivation() => FusedEqualsUnfused(GemmKernel.Scalar);

    [KernelFact(GemmKernel.Avx512X8x32)]
    public void Avx512X8x32_FusedOutputPass_AllocatesNothing() => AllocatesNothing(GemmKernel.Avx512X8x32);

    [KernelFact(GemmKernel.Avx2X6x16)]
    public void Avx2X6x16_FusedOutputPass_AllocatesNothing() => AllocatesNothing(GemmKernel.Avx2X6x16);

    [Fact]
    public void MultiplyBiasActivation_ShortBiasOrOutput_NamesTheSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.MultiplyBiasActivation(new float[6], false, new float[6], false, new float[4],
            new float[1], new float[4], OutputActivation.Relu, null, 2, 2, 3, 1));
        Assert.Contains("bias of 2 values", ex.Message);
        Assert.Contains("got bias=1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Gemm.MultiplyBiasActivation(new float[6], false, new float[6], false, new float[4],
            default, new float[4], OutputActivation.Rows, null, 2, 2, 3, 1));
        Assert.Contains("row function none", ex.Message);
    }

    [Fact]
    public void MultiplyBiasActivation_InnerDimensionZero_GivesBiasThenActivation()
    {
        float[] z = [9f, 9f, 9f, 9f];
        float[] a = new float[4];
        Gemm.MultiplyBiasActivation([], false, [], false, z, [0.5f, -2f], a, OutputActivation.Relu, null, 2, 2, 0, 1);
        Assert.Equal([0.5f, -2f, 0.5f, -2f], z);
        Assert.Equal([0.5f, 0f, 0.5f, 0f], a);
    }

    private static KernelPlan[] Plans(GemmKernel kernel)
    {
        KernelPlan own = KernelPlan.ForKernel(kernel, CpuInfo.Current, "test");
        return [own, own with { Mc = 2 * own.Mr, Kc = 16, Nc = 2 * own.Nr }];
    }

    private static void FusedEqualsUnfused(GemmKernel kernel)
    {
        // Odd shapes (edge tiles in both directions), a parallel row split (256 rows) and a column split (8 rows).
        int[][] shapes = [[1, 1, 1], [7, 13, 5], [65, 63, 17], [9, 33, 257], [31, 17, 300], [128, 10, 64], [256, 300, 129], [8, 2000, 300]];
        foreach (KernelPlan plan in Plans(kernel))
        {
            foreach (int[] s in shapes)
            {
                int m = s[0], n = s[1], k = s[2];
                var rng = new Rng(17);
                float[] a = GemmTests.RandomArray(rng, m * k);
                float[] b = GemmTests.RandomArray(rng, k * n);
                float[] bias = GemmTests.RandomArray(rng, n);
                float[] product = new float[m * n];
                Gemm.Run(plan, a, false, b, false, product, m, n, k, accumulate: false, maxThreads: 1);
                foreach (OutputActivation activation in Enum.GetValues<OutputActivation>())
                {
                    foreach (bool withBias in new[] { true, false })
                    {
                        foreach (int threads in new[] { 1, 2, 3 })
                        {
                            var z = new float[m * n + 2];
                            var output = new float[m * n + 2];
                            Array.Fill(z, float.NaN);
                            Array.Fill(output, float.NaN);
                            Gemm.RunBiasActivation(plan, a, false, b, false, z.AsSpan(1, m * n), withBias ? bias : default,
                                output.AsSpan(1, m * n), activation, Square, m, n, k, threads);
                            Assert.True(float.IsNaN(z[0]) && float.IsNaN(z[^1]) && float.IsNaN(output[0]) && float.IsNaN(output[^1]),
                                $"{plan}: {m}×{n}×{k} wrote outside z or a");
                            for (int i = 0; i < m * n; i++)
                            {
                                float zi = withBias ? product[i] + bias[i % n] : product[i];
                                if (!zi.Equals(z[i + 1]) || !Expected(zi, activation).Equals(output[i + 1]))
                                {
                                    Assert.Fail($"{plan}: {m}×{n}×{k} {activation} bias={withBias} threads={threads} [{i}]: " +
                                        $"z {z[i + 1]} vs {zi}, a {output[i + 1]} vs {Expected(zi, activation)}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void AllocatesNothing(GemmKernel kernel)
    {
        KernelPlan plan = KernelPlan.ForKernel(kernel, CpuInfo.Current, "test");
        const int M = 200, N = 300, K = 170;
        var rng = new Rng(5);
        float[] a = GemmTests.RandomArray(rng, M * K);
        float[] b = GemmTests.RandomArray(rng, K * N);
        float[] bias = GemmTests.RandomArray(rng, N);
        float[] z = new float[M * N], output = new float[M * N];
        Gemm.RunBiasActivation(plan, a, false, b, false, z, bias, output, OutputActivation.Rows, Square, M, N, K, maxThreads: 2);
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread() + WorkerPool.AllocatedBytesOnWorkers();
            for (int i = 0; i < 3; i++)
            {
                Gemm.RunBiasActivation(plan, a, false, b, false, z, bias, output, OutputActivation.Relu, null, M, N, K, maxThreads: 2);
                Gemm.RunBiasActivation(plan, a, false, b, false, z, bias, output, OutputActivation.Rows, Square, M, N, K, maxThreads: 2);
            }
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() + WorkerPool.AllocatedBytesOnWorkers() - before);
        }
        Assert.Equal(0, smallest);
    }
}
