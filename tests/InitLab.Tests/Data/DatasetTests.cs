using System.IO.Compression;
using InitLab.Data;
using InitLab.Losses;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void Synthetic_SameSeedSameRows_DifferentSeedDifferentRows()
    {
        Assert.Equal(SyntheticData.Spirals(300, 3, 0.2, 5).Features.Data, SyntheticData.Spirals(300, 3, 0.2, 5).Features.Data);
        Assert.NotEqual(SyntheticData.Moons(300, 0.1, 5).Features.Data, SyntheticData.Moons(300, 0.1, 6).Features.Data);
    }

    [Fact]
    public void Synthetic_SetsHaveBalancedClasses()
    {
        Dataset spirals = SyntheticData.Spirals(300, 3, 0.2, 1);
        Assert.Equal([100, 100, 100], spirals.Labels!.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        Dataset circles = SyntheticData.Circles(200, 0, 0.5, 1);
        // Without noise the inner class lies on radius 0.5 and the outer on radius 1.
        for (int i = 0; i < circles.Rows; i++)
        {
            double r = Math.Sqrt(Math.Pow(circles.Features[i, 0], 2) + Math.Pow(circles.Features[i, 1], 2));
            Assert.Equal(circles.Labels![i] == 1 ? 0.5 : 1.0, r, 5);
        }
    }

    [Fact]
    public void Scaler_FittedOnTrainOnly()
    {
        var (train, test) = SyntheticData.Blobs(400, 3, 2, 1.0, 2).Split(0.25, 3);
        Scaler scaler = Scaler.FitStandard(train.Features);
        var scaledTrain = scaler.Transform(train.Features);
        for (int c = 0; c < 2; c++)
        {
            double mean = Enumerable.Range(0, train.Rows).Average(r => (double)scaledTrain[r, c]);
            double variance = Enumerable.Range(0, train.Rows).Average(r => Math.Pow(scaledTrain[r, c] - mean, 2));
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, variance, 4);
        }
        // The test split uses the training statistics, so its own mean is not forced to 0.
        var scaledTest = scaler.Transform(test.Features);
        Assert.Equal((test.Features[0, 0] - scaler.Offset[0]) / scaler.Scale[0], scaledTest[0, 0], 5);
    }

    [Fact]
    public void Split_IsSeededAndDisjoint()
    {
        // Row i holds the features (i, −i) and label i % 2, so every row is identifiable after the shuffle.
        const int rows = 100;
        var features = new Tensor([.. Enumerable.Range(0, rows).SelectMany(i => new[] { (float)i, -i })], rows, 2);
        var data = new Dataset("ids", features, [.. Enumerable.Range(0, rows).Select(i => i % 2)], 2);
        var (trainA, testA) = data.Split(0.2, 7);
        var (trainB, testB) = data.Split(0.2, 7);
        Assert.Equal(80, trainA.Rows);
        Assert.Equal(20, testA.Rows);
        Assert.Equal(trainA.Features.Data, trainB.Features.Data);
        Assert.Equal(testA.Features.Data, testB.Features.Data);
        static int[] Ids(Dataset d) => [.. Enumerable.Range(0, d.Rows).Select(r => (int)d.Features.Data[r * 2])];
        int[] train = Ids(trainA), test = Ids(testA);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(Enumerable.Range(0, rows), train.Concat(test).Order());
        // Each row keeps its own features and label.
        Assert.All(Enumerable.Range(0, trainA.Rows), r =>
        {
            Assert.Equal(-trainA.Features.Data[r * 2], trainA.Features.Data[r * 2 + 1]);
            Assert.Equal(train[r] % 2, trainA.Labels![r]);
        });
        Assert.NotEqual(data.Split(0.2, 8).Train.Features.Data, trainA.Features.Data);
    }

    [Fact]
    public void TargetsFor_LayoutFollowsLoss()
    {
        Dataset iris = BuiltInData.Load("iris");
        Assert.Equal([150, 1], iris.TargetsFor(new CategoricalCrossEntropy(sparse: true), 3).Shape);
        var oneHot = iris.TargetsFor(new CategoricalCrossEntropy(), 3);
        Assert.Equal([150, 3], oneHot.Shape);
        Assert.Equal(150f, oneHot.Data.Sum());
        var ex = Assert.Throws<ArgumentException>(() => iris.TargetsFor(new CategoricalCrossEntropy(), 4));
        Assert.Contains("3 classes but the last layer has 4 units", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mnist_ReadsIdxFiles_PlainAndGzipped(bool gzip)
    {
        using var dir = new TempDirectory();
        WriteIdx(dir.File("train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 255, 51, 102, 1, 2, 3, 4], gzip);
        WriteIdx(dir.File("train-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 2, 7, 3], gzip);
        WriteIdx(dir.File("t10k-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 9, 9, 9, 9], gzip);
        WriteIdx(dir.File("t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 1, 1], gzip);
        var (train, test) = MnistLoader.LoadFolder(dir.Path);
        Assert.Equal((2, 4, 10), (train.Rows, train.FeatureCount, train.Classes));
        Assert.Equal([7, 3], train.Labels!);
        Assert.Equal([0f, 1f, 0.2f, 0.4f], train.Features.Data[..4]);
        Assert.Equal(1, test.Rows);
    }

    [Fact]
    public void Mnist_TruncatedFile_SaysSo()
    {
        using var dir = new TempDirectory();
        string images = dir.File("img");
        string labels = dir.File("lbl");
        WriteIdx(images, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 255, 51], false);
        WriteIdx(labels, [0, 0, 8, 1, 0, 0, 0, 2, 7, 3], false);
        var ex = Assert.Throws<DataFormatException>(() => MnistLoader.Load(images, labels, "x"));
        Assert.Contains("promises 8 bytes of data, the file has 3", ex.Message, StringComparison.Ordinal);
    }

    private static void WriteIdx(string path, byte[] bytes, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return;
        }
        using var file = File.Create(path + ".gz");
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
    }
}
