using InitLab.Kernels;
using InitLab.Random;

namespace InitLab.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int[][] shapes =
        [
            [1, 1, 1], [1, 7, 3], [7, 13, 5], [65, 63, 17], [8, 32, 256], [9, 33, 257], [16, 16, 16],
            [31, 17, 300], [64, 64, 64], [100, 1, 50], [1, 100, 50], [3, 129, 513], [96, 96, 96],
            [97, 95, 1], [2, 2, 600], [33, 65, 129], [128, 10, 64], [10, 128, 32], [250, 40, 7], [5, 200, 31],
            [73, 47, 260], [6, 16, 2],
        ];
        foreach (int[] s in shapes)
        {
            data.Add(s[0], s[1], s[2]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_AllTranspositionForms_MatchReference(int m, int n, int k)
    {
        var rng = new Rng(7);
        float[] a = RandomArray(rng, m * k);
        float[] b = RandomArray(rng, k * n);
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    float[] start = RandomArray(rng, m * n);
                    float[] expected = (float[])start.Clone();
                    Gemm.Reference(a, transA, b, transB, expected, m, n, k, accumulate);
                    // NaN canaries around the destination catch writes outside C.
                    float[] actual = new float[m * n + 2];
                    actual[0] = float.NaN;
                    actual[^1] = float.NaN;
                    start.CopyTo(actual, 1);
                    Gemm.Multiply(a, transA, b, transB, actual.AsSpan(1, m * n), m, n, k, accumulate, maxThreads: 2);
                    Assert.True(float.IsNaN(actual[0]) && float.IsNaN(actual[^1]), "wrote outside C");
                    // Sums of k products of values in [-1, 1): the reordering by FMA/blocking changes each by a few ulps of k.
                    float tolerance = 1e-5f * (k + 1);
                    for (int i = 0; i < m * n; i++)
                    {
                        Assert.True(Math.Abs(expected[i] - actual[i + 1]) <= tolerance,
                            $"transA={transA} transB={transB} acc={accumulate} [{i}]: {expected[i]} vs {actual[i + 1]}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(256, 512, 300)]
    [InlineData(128, 2048, 64)]
    [InlineData(300, 700, 129)]
    public void Multiply_OneVersusManyThreads_BitIdentical(int m, int n, int k)
    {
        var rng = new Rng(3);
        float[] a = RandomArray(rng, m * k);
        float[] b = RandomArray(rng, k * n);
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                float[] one = new float[m * n];
                float[] many = new float[m * n];
                Gemm.Multiply(a, transA, b, transB, one, m, n, k, maxThreads: 1);
                Gemm.Multiply(a, transA, b, transB, many, m, n, k, maxThreads: 4);
                Assert.Equal(one, many);
            }
        }
    }

    /// <summary>
    /// B stored k×n is packed a group of adjacent panels at a time, and on 2 threads the second starts at panel
    /// ⌊panels/2⌋: with 608 columns (19 panels of 32 in groups of 8, or 38 of 16 in groups of 8) that start is inside a
    /// group, so the group must be packed from its first panel, not from where that thread came in. A new B every round
    /// makes a panel left unpacked hold the previous round's values (the multi-thread call runs first), which the
    /// one-thread result does not have. The check bites only when the worker claims that group before the calling
    /// thread reaches it (the usual case: k = 512 gives the worker ~150 µs to wake up); packing from the entry panel
    /// failed it on this machine. 3 threads is a second thread-count check (there the starts fall on group edges for NR = 32).
    /// <see cref="Multiply_LaterPartPacksAGroupFirst_BitIdenticalToOneThread"/> forces that order every time.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Multiply_ThreadStartingInsideAPackGroup_BitIdenticalToOneThread(int threads)
    {
        const int m = 256, n = 608, k = 512;
        var rng = new Rng(11);
        float[] a = RandomArray(rng, m * k);
        for (int round = 0; round < 20; round++)
        {
            float[] b = RandomArray(rng, k * n);
            float[] one = new float[m * n];
            float[] many = new float[m * n];
            // Many threads first: the one-thread call packs the same B into the same buffer.
            Gemm.Multiply(a, false, b, false, many, m, n, k, maxThreads: threads);
            Gemm.Multiply(a, false, b, false, one, m, n, k, maxThreads: 1);
            Assert.Equal(one, many);
        }
    }

    /// <summary>
    /// The same rule, deterministically: the parts run on this thread in a chosen order, the later ones first, so the
    /// part that starts inside a pack group (⌊panels/2⌋ of 19 or 38 panels) always claims that group before the part
    /// that owns its first panel. Packing the group from the entry panel leaves that first panel stale.
    /// </summary>
    [Theory]
    [InlineData(new[] { 1, 0 })]
    [InlineData(new[] { 2, 1, 0 })]
    public void Multiply_LaterPartPacksAGroupFirst_BitIdenticalToOneThread(int[] order)
    {
        const int m = 256, n = 608, k = 64;
        var rng = new Rng(13);
        float[] a = RandomArray(rng, m * k);
        for (int round = 0; round < 2; round++)
        {
            float[] b = RandomArray(rng, k * n);
            float[] one = new float[m * n];
            float[] parts = new float[m * n];
            Gemm.PartOrderForTests = order;
            try
            {
                Gemm.Multiply(a, false, b, false, parts, m, n, k, maxThreads: order.Length);
            }
            finally
            {
                Gemm.PartOrderForTests = null;
            }
            Gemm.Multiply(a, false, b, false, one, m, n, k, maxThreads: 1);
            Assert.Equal(one, parts);
        }
    }

    /// <summary>Row blocks are evened out without adding a block: worked by hand, e.g. 258 rows with mc = 252 and 6-row
    /// panels are 2 blocks of 129 → 132 rows (not 252 + 6).</summary>
    [Theory]
    [InlineData(258, 252, 6, 132)]
    [InlineData(512, 252, 6, 174)] // 3 blocks of 170.7 → 171 → 174
    [InlineData(256, 64, 8, 64)]
    [InlineData(130, 64, 8, 48)] // 3 blocks of 43.3 → 44 → 48
    [InlineData(5, 64, 8, 8)]
    [InlineData(64, 64, 8, 64)]
    public void BalancedRowBlock_EvensTheBlocksInWholePanels(int rows, int mc, int mr, int expected)
    {
        int block = Gemm.BalancedRowBlock(rows, mc, mr);
        Assert.Equal(expected, block);
        Assert.Equal((rows + mc - 1) / mc, (rows + block - 1) / block);
    }

    [Fact]
    public void Multiply_ZeroInnerDimension_ClearsOrKeepsC()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply([], false, [], false, c, 2, 2, 0, accumulate: true);
        Assert.Equal([1f, 2, 3, 4], c);
        Gemm.Multiply([], false, [], false, c, 2, 2, 0);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void Multiply_SpanTooShort_ThrowsNamingSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], false, new float[6], false, new float[6], 2, 3, 3));
        Assert.Contains("m=2, n=3, k=3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("A=5", ex.Message, StringComparison.Ordinal);
    }

    internal static float[] RandomArray(Rng rng, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)rng.Uniform(-1, 1);
        }
        return values;
    }
}
