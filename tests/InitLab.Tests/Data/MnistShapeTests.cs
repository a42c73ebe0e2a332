using InitLab.Data;
using InitLab.Experiments;
using InitLab.Tests.TestUtilities;
using static InitLab.Tests.Data.MnistHostileInputTests;

namespace InitLab.Tests.Data;

/// <summary>MNIST IDX images load as [rows, columns, 1] from their header (LeCun's format: "the pixels are organized
/// row-wise"), and the header's fields are named when one is wrong.</summary>
public class MnistShapeTests
{
    /// <summary>Writes a folder of n 28×28 images whose pixel (y, x) of image i is (i + y + 3·x) mod 256, labels i mod 10.</summary>
    private static void WriteMnist(string folder, int train, int test)
    {
        foreach ((string prefix, int n) in new[] { ("train", train), ("t10k", test) })
        {
            var pixels = new byte[n * 28 * 28];
            for (int i = 0; i < n; i++)
            {
                for (int y = 0; y < 28; y++)
                {
                    for (int x = 0; x < 28; x++)
                    {
                        pixels[(i * 28 + y) * 28 + x] = (byte)((i + y + 3 * x) % 256);
                    }
                }
            }
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), Idx([n, 28, 28], pixels));
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), Idx([n], [.. Enumerable.Range(0, n).Select(i => (byte)(i % 10))]));
        }
    }

    [Fact]
    public void LoadFolder_28By28Idx_RowShape28By28By1_PixelsRowMajor()
    {
        using var dir = new TempDirectory();
        WriteMnist(dir.Path, train: 3, test: 2);
        (Dataset train, Dataset test) = MnistLoader.LoadFolder(dir.Path);
        Assert.Equal([28, 28, 1], train.RowShape);
        Assert.Equal([28, 28, 1], test.RowShape);
        for (int i = 0; i < 3; i++)
        {
            foreach ((int y, int x) in new[] { (0, 0), (0, 1), (1, 0), (27, 5), (5, 27) })
            {
                Assert.Equal((i + y + 3 * x) % 256 / 255f, DigitsImageTests.Pixel(train, i, y, x));
            }
        }
        // Through the data source (seeded split skipped: MNIST comes split) and its scaler.
        (Dataset scaledTrain, _) = DataSource.Load(dir.Path);
        Assert.Equal([28, 28, 1], scaledTrain.RowShape);
        Assert.Equal([28, 28], SequenceViews.RowByRow(train).RowShape);
        Assert.Equal([784, 1], SequenceViews.PixelByPixel(train).RowShape);
    }

    [Fact]
    public void Load_NonSquareImages_ShapeIsRowsThenColumns()
    {
        // One 2×3 image (2 rows of 3 pixels) stored row-wise: 1 2 3 / 4 5 6. Pixel (row 1, column 0) is 4, which a
        // [3, 2] shape would read as 3.
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("images"), Idx([1, 2, 3], [1, 2, 3, 4, 5, 6]));
        File.WriteAllBytes(dir.File("labels"), Idx([1], [7]));
        Dataset image = MnistLoader.Load(dir.File("images"), dir.File("labels"), "tiny");
        Assert.Equal([2, 3, 1], image.RowShape);
        Assert.Equal(4 / 255f, DigitsImageTests.Pixel(image, 0, 1, 0));
        Assert.Equal(3 / 255f, DigitsImageTests.Pixel(image, 0, 0, 2));
        Assert.Equal([2, 3], SequenceViews.RowByRow(image).RowShape);
    }

    [Fact]
    public void LoadFolder_SamePixelCountOtherShape_NamesBothShapes()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), Idx([1, 2, 2], new byte[4]));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), Idx([1], [1]));
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte"), Idx([1, 4, 1], new byte[4]));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), Idx([1], [0]));
        var ex = Assert.Throws<DataFormatException>(() => MnistLoader.LoadFolder(dir.Path));
        Assert.Contains("t10k-images-idx3-ubyte: its images have 4 pixels (4×1)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte have 4 (2×2)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 28, 28, 3, "dimension 0 is 0 (the image count)")]
    [InlineData(2, 0, 28, 3, "dimension 1 is 0 (rows per image)")]
    [InlineData(2, 28, -1, 3, "dimension 2 is -1 (columns per image)")]
    public void ReadIdx_BadDimension_NamesTheField(int n, int rows, int cols, int rank, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("train-images-idx3-ubyte");
        File.WriteAllBytes(path, Idx([n, rows, cols], [1]));
        var ex = Assert.Throws<DataFormatException>(() => MnistLoader.ReadIdx(path, rank));
        Assert.StartsWith("train-images-idx3-ubyte: " + expected + "; every IDX dimension must be >= 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadIdx_BadLabelCount_NamesTheField()
    {
        using var dir = new TempDirectory();
        string path = dir.File("train-labels-idx1-ubyte");
        File.WriteAllBytes(path, Idx([0], []));
        var ex = Assert.Throws<DataFormatException>(() => MnistLoader.ReadIdx(path, 1));
        Assert.Contains("dimension 0 is 0 (the label count)", ex.Message, StringComparison.Ordinal);
    }
}
