using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: pooling outputs worked by hand on small images (channels-last, rows row-major): "valid" and "same" padding,
/// stride smaller and larger than the window, odd sizes, the uneven "same" split (extra padding at the bottom/right, as
/// TensorFlow puts it), averages over the real elements only, several channels kept apart, and output shapes against
/// Keras's formulas.
/// </summary>
public class PoolingForwardTests
{
    /// <summary>Runs one pooling layer on one image of <paramref name="shape"/> and returns its output.</summary>
    internal static float[] Pool(Layer layer, int[] shape, float[] image, PassMode mode = PassMode.Infer)
    {
        var model = new Sequential(shape, [layer], seed: 1) { Threads = 1 };
        model.Forward((float[])image.Clone(), 1, mode);
        return layer.Output.ToArray();
    }

    // The 3×3 image 1..9:      The 4×4 image 1..16:       The 5×5 image 1..25:
    //   1 2 3                   1  2  3  4                 1  2  3  4  5
    //   4 5 6                   5  6  7  8                 6  7  8  9 10
    //   7 8 9                   9 10 11 12                11 12 13 14 15
    //                          13 14 15 16                16 17 18 19 20
    //                                                     21 22 23 24 25

    [Fact]
    public void MaxPool_Valid2x2On4x4_TakesEachBlocksLargest() =>
        Assert.Equal([6f, 8, 14, 16], Pool(new MaxPool2D(2), [4, 4, 1], PoolingReference.Ramp(16)));

    [Fact]
    public void AvgPool_Valid2x2On4x4_AveragesEachBlock() =>
        // (1+2+5+6)/4, (3+4+7+8)/4, (9+10+13+14)/4, (11+12+15+16)/4.
        Assert.Equal([3.5f, 5.5f, 11.5f, 13.5f], Pool(new AvgPool2D(2), [4, 4, 1], PoolingReference.Ramp(16)));

    [Fact]
    public void Pool_Valid2x2On5x5_DropsTheLastRowAndColumn()
    {
        // ⌊(5 − 2)/2⌋ + 1 = 2: windows rows/cols {0,1} and {2,3}; row 4 and column 4 are never read.
        Assert.Equal([7f, 9, 17, 19], Pool(new MaxPool2D(2), [5, 5, 1], PoolingReference.Ramp(25)));
        Assert.Equal([4f, 6, 14, 16], Pool(new AvgPool2D(2), [5, 5, 1], PoolingReference.Ramp(25)));
    }

    [Fact]
    public void Pool_Same2x2Stride2On3x3_PadsBottomAndRightOnlyAndAveragesRealValues()
    {
        // ⌈3/2⌉ = 2; p = (2 − 1)·2 + 2 − 3 = 1, all after: windows rows/cols {0,1} and {2}.
        // Averages: (1+2+4+5)/4, (3+6)/2, (7+8)/2, 9/1.
        Assert.Equal([5f, 6, 8, 9], Pool(new MaxPool2D(2, padding: "same"), [3, 3, 1], PoolingReference.Ramp(9)));
        Assert.Equal([3f, 4.5f, 7.5f, 9], Pool(new AvgPool2D(2, padding: "same"), [3, 3, 1], PoolingReference.Ramp(9)));
    }

    [Fact]
    public void AvgPool_Same3x3Stride1On3x3_DividesByRealElementsNotTheWindow()
    {
        // p = 2 split 1/1. Corners average 4 values, edges 6, the centre 9 — PyTorch's default count_include_pad=True
        // would give the corner 12/9 instead of 12/4.
        float[] expected =
        [
            (1 + 2 + 4 + 5) / 4f, (1 + 2 + 3 + 4 + 5 + 6) / 6f, (2 + 3 + 5 + 6) / 4f,
            (1 + 2 + 4 + 5 + 7 + 8) / 6f, 45 / 9f, (2 + 3 + 5 + 6 + 8 + 9) / 6f,
            (4 + 5 + 7 + 8) / 4f, (4 + 5 + 6 + 7 + 8 + 9) / 6f, (5 + 6 + 8 + 9) / 4f,
        ];
        Assert.Equal(expected, Pool(new AvgPool2D(3, strides: 1, padding: "same"), [3, 3, 1], PoolingReference.Ramp(9)));
        Assert.Equal([5f, 6, 6, 8, 9, 9, 8, 9, 9], Pool(new MaxPool2D(3, strides: 1, padding: "same"), [3, 3, 1], PoolingReference.Ramp(9)));
    }

    [Fact]
    public void Pool_Same3x3Stride2On4x4_OddPaddingGoesAfter()
    {
        // ⌈4/2⌉ = 2; p = (2 − 1)·2 + 3 − 4 = 1 → 0 above, 1 below: window rows (and cols) {0,1,2} and {2,3}.
        // Had the one padding row gone on top, the first window would be {1,2,5,6} (max 6, mean 3.5).
        Assert.Equal([11f, 12, 15, 16], Pool(new MaxPool2D(3, strides: 2, padding: "same"), [4, 4, 1], PoolingReference.Ramp(16)));
        // (1+2+3+5+6+7+9+10+11)/9, (3+4+7+8+11+12)/6, (9+10+11+13+14+15)/6, (11+12+15+16)/4.
        Assert.Equal([6f, 7.5f, 12, 13.5f], Pool(new AvgPool2D(3, strides: 2, padding: "same"), [4, 4, 1], PoolingReference.Ramp(16)));
    }

    [Fact]
    public void Pool_Window3Stride2On5x5_OverlappingWindows()
    {
        // ⌊(5 − 3)/2⌋ + 1 = 2; windows rows/cols {0,1,2} and {2,3,4}; a 3×3 window of the ramp averages to its centre.
        Assert.Equal([13f, 15, 23, 25], Pool(new MaxPool2D(3, strides: 2), [5, 5, 1], PoolingReference.Ramp(25)));
        Assert.Equal([7f, 9, 17, 19], Pool(new AvgPool2D(3, strides: 2), [5, 5, 1], PoolingReference.Ramp(25)));
    }

    [Fact]
    public void Pool_Window2Stride3On5x5_SkipsTheRowsBetweenWindows()
    {
        // ⌊(5 − 2)/3⌋ + 1 = 2; windows rows/cols {0,1} and {3,4}; row/col 2 is never read.
        Assert.Equal([7f, 10, 22, 25], Pool(new MaxPool2D(2, strides: 3), [5, 5, 1], PoolingReference.Ramp(25)));
        Assert.Equal([4f, 7, 19, 22], Pool(new AvgPool2D(2, strides: 3), [5, 5, 1], PoolingReference.Ramp(25)));
    }

    [Fact]
    public void Pool_RectangularWindowAndStrides_ActPerAxis()
    {
        // Window 1×3, strides 2×1, "valid" on 3×4: ⌊(3 − 1)/2⌋ + 1 = 2 rows (0 and 2), ⌊(4 − 3)/1⌋ + 1 = 2 columns.
        // The 3×4 ramp: row 0 = 1 2 3 4, row 2 = 9 10 11 12.
        Assert.Equal([3f, 4, 11, 12], Pool(new MaxPool2D(1, 3, 2, 1), [3, 4, 1], PoolingReference.Ramp(12)));
        Assert.Equal([2f, 3, 10, 11], Pool(new AvgPool2D(1, 3, 2, 1), [3, 4, 1], PoolingReference.Ramp(12)));
    }

    [Fact]
    public void Pool_TwoChannels_PoolsEachChannelOnItsOwn()
    {
        // Channel 0 is the 4×4 ramp, channel 1 its negative: interleaved as channels-last, [h, w, c].
        float[] image = [.. PoolingReference.Ramp(16).SelectMany(v => new[] { v, -v })];
        // Max of channel 1 is −(the block's smallest): −1, −3, −9, −11.
        Assert.Equal([6f, -1, 8, -3, 14, -9, 16, -11], Pool(new MaxPool2D(2), [4, 4, 2], image));
        Assert.Equal([3.5f, -3.5f, 5.5f, -5.5f, 11.5f, -11.5f, 13.5f, -13.5f], Pool(new AvgPool2D(2), [4, 4, 2], image));
    }

    [Fact]
    public void GlobalAveragePooling_2x2x3_AveragesEveryChannelOverTheImage()
    {
        // Pixels (c0, c1, c2): (1, 10, −1), (2, 20, −2), (3, 30, −3), (6, 60, 2).
        float[] image = [1, 10, -1, 2, 20, -2, 3, 30, -3, 6, 60, 2];
        Assert.Equal([3f, 30, -1], Pool(new GlobalAveragePooling2D(), [2, 2, 3], image));
    }

    [Fact]
    public void MaxPool_Tie_GradientGoesToTheFirstMaximumInRowMajorOrder()
    {
        // One 2×2 window holding 0, 5, 1, 5: the two 5s tie; the first in row-major order (index 1) gets the gradient.
        var pool = new MaxPool2D(2);
        var model = new Sequential([2, 2, 1], [pool], seed: 1) { Threads = 1 };
        (float[] y, float[] dx) = LayerGradientTests.ForwardBackward(model, [0, 5, 1, 5], [1], PassMode.Probe);
        Assert.Equal([5f], y);
        Assert.Equal([0f, 1, 0, 0], dx);
        Assert.Equal(1, pool.ArgMax[0]);
    }

    [Fact]
    public void MaxPool_NaNInWindow_Propagates() =>
        Assert.True(float.IsNaN(Pool(new MaxPool2D(2), [2, 2, 1], [1, float.NaN, 3, 2])[0]));

    /// <summary>Output height and width against Keras's docstring formulas, on a grid of sizes, windows, strides and both
    /// paddings, and the padding split against TensorFlow's documented rule.</summary>
    [Fact]
    public void OutputSize_GridOfSizes_MatchesKerasFormulas()
    {
        foreach (string padding in new[] { "valid", "same" })
        {
            for (int size = 1; size <= 9; size++)
            {
                for (int pool = 1; pool <= 4; pool++)
                {
                    for (int stride = 1; stride <= 4; stride++)
                    {
                        (int output, int padBefore) = Pooling2D.OutputSize(size, pool, stride, padding == "same");
                        int expected = padding == "valid" && size < pool ? 0 : PoolingReference.KerasOutputSize(size, pool, stride, padding);
                        Assert.True(expected == output, $"n={size} k={pool} s={stride} {padding}: Keras {expected}, ours {output}");
                        Assert.Equal(PoolingReference.TensorFlowPadBefore(size, pool, stride, padding), padBefore);
                    }
                }
            }
        }
    }

    [Theory]
    // Keras docstring examples: 3×3 input, pool 2 stride 1 → 2×2 valid, 3×3 same; 4×4 pool 2 stride 2 → 2×2.
    [InlineData(3, 3, 2, 1, "valid", 2, 2)]
    [InlineData(3, 3, 2, 1, "same", 3, 3)]
    [InlineData(4, 4, 2, 2, "valid", 2, 2)]
    [InlineData(4, 5, 2, 2, "same", 2, 3)]
    [InlineData(28, 28, 2, 2, "valid", 14, 14)]
    [InlineData(7, 7, 3, 2, "valid", 3, 3)]
    [InlineData(7, 7, 3, 2, "same", 4, 4)]
    public void OutputShape_InModel_IsKerasShapeAndTheNextDenseTakesItsProduct(int height, int width, int pool, int stride, string padding, int outputHeight, int outputWidth)
    {
        foreach (Pooling2D layer in new Pooling2D[] { new MaxPool2D(pool, stride, padding), new AvgPool2D(pool, stride, padding) })
        {
            var dense = new Dense(3);
            var model = new Sequential([height, width, 2], [layer, dense], seed: 4);
            Assert.Equal([outputHeight, outputWidth, 2], layer.OutputShape);
            Assert.Equal(outputHeight * outputWidth * 2, layer.OutputDim);
            Assert.Equal(layer.OutputDim, dense.InputDim);
            Assert.Equal(3, model.OutputDim);
        }
    }

    [Fact]
    public void Shapes_PoolThenPoolThenGlobalAverage_Chain()
    {
        var max = new MaxPool2D(2);
        var average = new AvgPool2D(3, strides: 1, padding: "same");
        var global = new GlobalAveragePooling2D();
        var dropout = new Dropout(0.5);
        var model = new Sequential([8, 6, 3], [max, average, dropout, global, new Dense(2)], seed: 2);
        Assert.Equal([4, 3, 3], max.OutputShape);
        Assert.Equal([4, 3, 3], average.OutputShape);
        Assert.Equal([4, 3, 3], dropout.OutputShape);
        Assert.Equal([3], global.OutputShape);
        Assert.Equal(2, model.OutputDim);
    }

    [Fact]
    public void DefaultStrides_AreThePoolSize()
    {
        var layer = new MaxPool2D(3, 2, null, null);
        Assert.Equal((3, 2, 3, 2), (layer.PoolHeight, layer.PoolWidth, layer.StrideHeight, layer.StrideWidth));
        var square = new AvgPool2D();
        Assert.Equal((2, 2, 2, 2, "valid"), (square.PoolHeight, square.PoolWidth, square.StrideHeight, square.StrideWidth, square.Padding));
    }
}
