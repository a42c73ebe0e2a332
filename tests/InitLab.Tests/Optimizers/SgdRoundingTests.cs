using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Tests.Optimizers;

/// <summary>Plain SGD's step is Keras's w − lr·g in float: a product, then a sum, each rounded. A fused multiply-add or a
/// sum in double rounds once instead, and differs in the last bit for some of these values.</summary>
public class SgdRoundingTests
{
    [Theory]
    [InlineData(1037, 1)] // 64 AVX-512 bundles, an 8-float and a 4-float bundle, then a scalar tail
    [InlineData(300_000, 2)] // ≥ 2^18 values on 2 threads: two ranges, the second starting at 150 000
    public void PlainStep_IsTheProductThenTheSum_BitForBit(int length, int threads)
    {
        const float lr = 0.37f;
        var rng = new Rng(11);
        var w = new float[length];
        var g = new float[length];
        for (int i = 0; i < length; i++)
        {
            w[i] = (float)rng.Uniform(-1, 1);
            g[i] = (float)rng.Uniform(-1, 1);
        }
        var expected = new float[length];
        for (int i = 0; i < length; i++)
        {
            float step = -lr * g[i];
            expected[i] = step + w[i];
        }
        var sgd = new Sgd(lr) { Threads = threads };
        sgd.Step([new Parameter("w", w, g, IsBias: false)]);
        Assert.Equal(expected, w);
    }
}
