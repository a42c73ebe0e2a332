using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 22 / STYLE.md §6: a bad pooling argument or input shape names what was wrong, what was received and
/// what is valid.</summary>
public class PoolingArgumentTests
{
    [Theory]
    [InlineData(0, null, "poolSize", "got 0")]
    [InlineData(2, 0, "strides", "got 0")]
    [InlineData(-1, 1, "poolSize", "got -1")]
    public void Pooling_NonPositiveWindowOrStride_NamesTheArgument(int pool, int? stride, string parameter, string received)
    {
        foreach (Func<object> create in new Func<object>[] { () => new MaxPool2D(pool, stride), () => new AvgPool2D(pool, stride) })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(create);
            Assert.Equal(parameter, error.ParamName);
            Assert.Contains(received, error.Message, StringComparison.Ordinal);
            Assert.Contains(">= 1", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pooling_RectangularArguments_NameTheAxis()
    {
        Assert.Equal("poolWidth", Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2D(2, 0, null, null)).ParamName);
        Assert.Equal("strideWidth", Assert.Throws<ArgumentOutOfRangeException>(() => new AvgPool2D(2, 3, 1, 0)).ParamName);
    }

    [Fact]
    public void Pooling_UnknownPadding_NamesPaddingAndTheValidOnes()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2D(2, padding: "full"));
        Assert.Equal("padding", error.ParamName);
        Assert.Contains("\"full\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"valid\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"same\"", error.Message, StringComparison.Ordinal);
        Assert.Equal("same", new AvgPool2D(2, padding: "SAME").Padding);
    }

    [Fact]
    public void Pooling_FlatRows_SaysItNeedsHeightWidthChannels()
    {
        foreach (Func<Layer> create in new Func<Layer>[] { () => new MaxPool2D(), () => new AvgPool2D(), () => new GlobalAveragePooling2D() })
        {
            var error = Assert.Throws<ArgumentException>(() => new Sequential(64, [create()]));
            Assert.Contains("[height, width, channels]", error.Message, StringComparison.Ordinal);
            Assert.Contains("got [64]", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pooling_ValidWindowLargerThanImage_SaysItDoesNotFit()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sequential([2, 5, 1], [new MaxPool2D(3)]));
        Assert.Contains("3×3 window", error.Message, StringComparison.Ordinal);
        Assert.Contains("2×5 input", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"same\"", error.Message, StringComparison.Ordinal);
        // "same" always fits: ⌈2/3⌉ = 1 row.
        Assert.Equal([1, 2, 1], new Sequential([2, 5, 1], [new MaxPool2D(3, padding: "same")]).Layers[0].OutputShape);
    }
}
