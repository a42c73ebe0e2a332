using InitLab.Data;
using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Data;

/// <summary>The built-in digits are [8, 8, 1] images whose pixels are stored row by row, so the 8×8 view is the picture
/// (not its transpose or mirror). Expected values come from scikit-learn, whose <c>load_digits()</c> gives the same
/// 1797 images: its <c>images</c> is (1797, 8, 8) and <c>data</c> is <c>images.reshape((n, -1))</c> (scikit-learn
/// example "Recognizing hand-written digits"); <c>digits.images[0]</c> as printed by scikit-learn is below.</summary>
public class DigitsImageTests
{
    // scikit-learn: `from sklearn.datasets import load_digits; load_digits().images[0]` (a '0'), row by row.
    private static readonly int[,] ScikitLearnImage0 =
    {
        { 0, 0, 5, 13, 9, 1, 0, 0 },
        { 0, 0, 13, 15, 10, 15, 5, 0 },
        { 0, 3, 15, 2, 0, 11, 8, 0 },
        { 0, 4, 12, 0, 0, 8, 8, 0 },
        { 0, 5, 8, 0, 0, 9, 8, 0 },
        { 0, 4, 11, 0, 1, 12, 7, 0 },
        { 0, 2, 14, 5, 10, 12, 0, 0 },
        { 0, 0, 6, 13, 10, 0, 0, 0 },
    };

    /// <summary>Pixel (y, x, channel c) of row r of a set shaped [H, W, C], flattened row-major.</summary>
    internal static float Pixel(Dataset images, int row, int y, int x, int c = 0)
    {
        int width = images.RowShape[1], channels = images.RowShape[2];
        return images.Features[row, (y * width + x) * channels + c];
    }

    [Fact]
    public void Digits_RowShape_Is8By8By1_IrisStaysFlat()
    {
        Assert.Equal([8, 8, 1], BuiltInData.Load("digits").RowShape);
        Assert.Equal([4], BuiltInData.Load("iris").RowShape);
        Assert.Equal([2], SyntheticData.Moons(10).RowShape);
    }

    [Fact]
    public void Digits_FirstImage_IsScikitLearnsImages0()
    {
        Dataset digits = BuiltInData.Load("digits");
        Assert.Equal(0, digits.Labels![0]);
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                Assert.True(ScikitLearnImage0[y, x] == Pixel(digits, 0, y, x), $"pixel (row {y}, column {x}): scikit-learn {ScikitLearnImage0[y, x]}, InitLab {Pixel(digits, 0, y, x)}");
            }
        }
    }

    [Fact]
    public void Digits_FirstImage_RendersAsAHandDrawnZero()
    {
        // Drawn by hand: a ring, tallest on the left, open at no side ('#' = ink of at least half the 0..16 range).
        const string zero =
            "...##...\n" +
            "..####..\n" +
            "..#..##.\n" +
            "..#..##.\n" +
            "..#..##.\n" +
            "..#..#..\n" +
            "..#.##..\n" +
            "...##...\n";
        Dataset digits = BuiltInData.Load("digits");
        var text = new System.Text.StringBuilder();
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                text.Append(Pixel(digits, 0, y, x) >= 8 ? '#' : '.');
            }
            text.Append('\n');
        }
        Assert.Equal(zero, text.ToString());
    }

    [Fact]
    public void Digits_MeanOne_IsAVerticalStroke()
    {
        // A '1' is a vertical stroke: ink in every image row, almost none in the outer columns. Transposed it would
        // be a horizontal bar (empty top and bottom rows). Over all 182 ones, not one picked image.
        (double[] rows, double[] columns) = InkProfile(BuiltInData.Load("digits"), label: 1);
        Assert.True(rows.Min() > 10 * Math.Max(columns[0], columns[7]),
            $"rows [{string.Join(", ", rows.Select(v => v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}] vs outer columns {columns[0]:F1}, {columns[7]:F1}");
    }

    [Fact]
    public void Digits_MeanSeven_HasItsBarOnTop()
    {
        // A '7' has its bar at the top and a thin foot: more ink in the top two rows than the bottom two (flipped
        // upside down it would be the other way round).
        (double[] rows, _) = InkProfile(BuiltInData.Load("digits"), label: 7);
        Assert.True(rows[0] + rows[1] > 2 * (rows[6] + rows[7]), $"top {rows[0] + rows[1]:F1}, bottom {rows[6] + rows[7]:F1}");
    }

    [Fact]
    public void Digits_RowShapeBuildsAnImageModel_ThatPoolsThePublishedImage()
    {
        // new Sequential(data.RowShape, …): a 2×2 max pool reads the rows as 8×8 pictures, so its output for image 0 is
        // the maximum of each 2×2 block of scikit-learn's images[0].
        Dataset digits = BuiltInData.Load("digits");
        var pool = new MaxPool2D(2);
        var model = new Sequential(digits.RowShape, [pool, new Dense(10, "softmax")], seed: 1);
        Assert.Equal([4, 4, 1], pool.OutputShape);
        model.Predict(new Tensor(digits.Features.Data[..64], 1, 64));
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                int expected = new[] { ScikitLearnImage0[2 * y, 2 * x], ScikitLearnImage0[2 * y, 2 * x + 1], ScikitLearnImage0[2 * y + 1, 2 * x], ScikitLearnImage0[2 * y + 1, 2 * x + 1] }.Max();
                Assert.Equal(expected, pool.Output[y * 4 + x]);
            }
        }
    }

    private static (double[] Rows, double[] Columns) InkProfile(Dataset digits, int label)
    {
        var rows = new double[8];
        var columns = new double[8];
        int count = 0;
        for (int r = 0; r < digits.Rows; r++)
        {
            if (digits.Labels![r] != label)
            {
                continue;
            }
            count++;
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    rows[y] += Pixel(digits, r, y, x);
                    columns[x] += Pixel(digits, r, y, x);
                }
            }
        }
        return ([.. rows.Select(v => v / count)], [.. columns.Select(v => v / count)]);
    }
}
