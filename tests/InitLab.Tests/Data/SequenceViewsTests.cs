using InitLab.Data;
using InitLab.Experiments;
using InitLab.Tensors;

namespace InitLab.Tests.Data;

/// <summary>Row-by-row and pixel-by-pixel digits (Le et al. 2015 §4.2) are the image rows read in time order: step t of
/// the row view is image row t, step t of the pixel view is pixel t in reading order, and the permuted view reads pixel
/// π(t) for one seeded permutation π.</summary>
public class SequenceViewsTests
{
    private static readonly Dataset Digits = BuiltInData.Load("digits");

    [Theory]
    [InlineData("digits-rows", new[] { 8, 8 })]
    [InlineData("digits-pixels", new[] { 64, 1 })]
    [InlineData("digits-pixels-permuted", new[] { 64, 1 })]
    public void BuiltIn_SequenceNames_HaveTheirShapes_AndTheDigitsLabels(string name, int[] shape)
    {
        Dataset sequences = BuiltInData.Load(name);
        Assert.Equal(shape, sequences.RowShape);
        Assert.Equal(name, sequences.Name);
        Assert.Equal(Digits.Rows, sequences.Rows);
        Assert.Equal(Digits.Labels, sequences.Labels);
    }

    [Fact]
    public void RowByRow_StepTFeatureF_IsImageRowTColumnF()
    {
        Dataset rows = SequenceViews.RowByRow(Digits);
        Assert.Equal(Digits.Features.Data, rows.Features.Data);
        for (int r = 0; r < Digits.Rows; r += 97)
        {
            for (int t = 0; t < 8; t++)
            {
                for (int f = 0; f < 8; f++)
                {
                    // [T, F] flattened row-major: feature t·F + f.
                    Assert.Equal(DigitsImageTests.Pixel(Digits, r, t, f), rows.Features[r, t * 8 + f]);
                }
            }
        }
    }

    [Fact]
    public void PixelByPixel_StepT_IsPixelTInReadingOrder()
    {
        Dataset pixels = SequenceViews.PixelByPixel(Digits);
        Assert.Equal(Digits.Features.Data, pixels.Features.Data);
        for (int r = 0; r < Digits.Rows; r += 97)
        {
            for (int t = 0; t < 64; t++)
            {
                Assert.Equal(DigitsImageTests.Pixel(Digits, r, t / 8, t % 8), pixels.Features[r, t]);
            }
        }
    }

    [Fact]
    public void PixelByPixel_ManyChannels_KeepsAPixelsChannelsTogether()
    {
        // Two 2×3 images with 2 channels: value = 100·row + 10·pixel + channel.
        var x = new float[2 * 12];
        for (int r = 0; r < 2; r++)
        {
            for (int p = 0; p < 6; p++)
            {
                for (int c = 0; c < 2; c++)
                {
                    x[r * 12 + p * 2 + c] = 100 * r + 10 * p + c;
                }
            }
        }
        Dataset images = new Dataset("rgb", new Tensor(x, 2, 12), [0, 1], 2) { RowShape = [2, 3, 2] };
        Assert.Equal([2, 6], SequenceViews.RowByRow(images).RowShape);
        Assert.Equal([6, 2], SequenceViews.PixelByPixel(images).RowShape);
        Dataset permuted = SequenceViews.PermutedPixelByPixel(images, seed: 3);
        int[] pi = SequenceViews.PixelPermutation(6, 3);
        for (int r = 0; r < 2; r++)
        {
            for (int t = 0; t < 6; t++)
            {
                Assert.Equal(100 * r + 10 * pi[t], permuted.Features[r, 2 * t]);
                Assert.Equal(100 * r + 10 * pi[t] + 1, permuted.Features[r, 2 * t + 1]);
            }
        }
    }

    [Fact]
    public void PixelPermutation_IsATruePermutation_SameForASeed_OtherForAnother()
    {
        int[] a = SequenceViews.PixelPermutation(784, 11);
        Assert.Equal(Enumerable.Range(0, 784), a.Order());
        Assert.Equal(a, SequenceViews.PixelPermutation(784, 11));
        int[] b = SequenceViews.PixelPermutation(784, 12);
        Assert.NotEqual(a, b);
        // A shuffle leaves about one point fixed on average (Poisson(1)); the identity would leave all 784.
        Assert.True(a.Where((v, i) => v == i).Count() < 10);
        Assert.Equal([0], SequenceViews.PixelPermutation(1, 11));
    }

    [Fact]
    public void PermutedPixelByPixel_StepT_IsPixelPiT_OfEveryImage()
    {
        Dataset permuted = SequenceViews.PermutedPixelByPixel(Digits, seed: 5);
        int[] pi = SequenceViews.PixelPermutation(64, 5);
        for (int r = 0; r < Digits.Rows; r++)
        {
            for (int t = 0; t < 64; t++)
            {
                Assert.Equal(Digits.Features[r, pi[t]], permuted.Features[r, t]);
            }
        }
        Assert.Equal(Digits.Labels, permuted.Labels);
        // The named set uses the fixed seed, so two loads give the same task.
        Assert.Equal(BuiltInData.Load("digits-pixels-permuted").Features.Data,
            SequenceViews.PermutedPixelByPixel(Digits, BuiltInData.PermutationSeed).Features.Data);
    }

    [Fact]
    public void SequenceView_OfFlatRows_SaysItNeedsImages()
    {
        var ex = Assert.Throws<ArgumentException>(() => SequenceViews.PixelByPixel(BuiltInData.Load("iris")));
        Assert.Equal("images", ex.ParamName);
        Assert.Contains("PixelByPixel: 'iris' has rows of shape [4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[height, width, channels]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataSource_SequenceNames_SplitAndScaleKeepTheShape()
    {
        (Dataset train, Dataset test) = DataSource.Load("digits-rows", new DataOptions { Seed = 2 });
        Assert.Equal([8, 8], train.RowShape);
        Assert.Equal([8, 8], test.RowShape);
        Assert.Equal(Digits.Rows, train.Rows + test.Rows);
        Assert.Contains("digits-pixels-permuted", DataSource.Names);
    }
}
