using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: output shapes, padding splits and kernel fans of the convolution layers, each worked by hand from Keras's
/// formulas (conv: valid ⌊(n − k_eff)/s⌋ + 1; same ⌈n/s⌉ with total padding max((out − 1)·s + k_eff − n, 0), the extra one
/// after; transposed: valid n·s + max(k_eff − s, 0), same n·s; k_eff = (k − 1)·d + 1), and bad arguments.
/// </summary>
public class ConvShapeTests
{
    /// <summary>Hand values: 7×6, k 3, s 2, same → ⌈7/2⌉ = 4 (pad 3·2 + 3 − 7 = 2 → 1 on top), ⌈6/2⌉ = 3 (pad 2·2 + 3 − 6 = 1
    /// → 0 left, 1 right); valid → ⌊4/2⌋ + 1 = 3, ⌊3/2⌋ + 1 = 2; dilation 2 (k_eff 5) valid on 7×8 → 3×4, same stride 1 →
    /// 7×8 with pad 4 → 2; 8×8, k 4, s 2, same → 4×4 with pad 3·2 + 4 − 8 = 2 → 1; 6×5, k 2, s 1, same → pad 1 → 0 before.</summary>
    [Theory]
    [InlineData(7, 6, 3, 2, 1, "same", 4, 3, 1, 0)]
    [InlineData(7, 6, 3, 2, 1, "valid", 3, 2, 0, 0)]
    [InlineData(7, 8, 3, 1, 2, "valid", 3, 4, 0, 0)]
    [InlineData(7, 8, 3, 1, 2, "same", 7, 8, 2, 2)]
    [InlineData(8, 8, 4, 2, 1, "same", 4, 4, 1, 1)]
    [InlineData(6, 5, 2, 1, 1, "same", 6, 5, 0, 0)]
    [InlineData(5, 5, 5, 1, 1, "valid", 1, 1, 0, 0)]
    [InlineData(1, 1, 3, 2, 1, "same", 1, 1, 1, 1)]
    public void Conv2D_OutputShapeAndPadding_MatchKerasByHand(int h, int w, int k, int s, int d, string padding, int oh, int ow, int padTop, int padLeft)
    {
        var conv = new Conv2D(5, k, strides: s, padding: padding, dilationRate: d);
        var model = new Sequential(new[] { h, w, 2 }, [conv, new Flatten()], seed: 1);
        Assert.Equal([oh, ow, 5], conv.OutputShape);
        Assert.Equal(oh * ow * 5, conv.OutputDim);
        Assert.Equal((padTop, padLeft), (conv.Geometry.PadTop, conv.Geometry.PadLeft));
        Assert.Equal([oh * ow * 5], model.Layers[1].OutputShape);
        Assert.Equal(oh * ow * 5, model.OutputDim);
    }

    /// <summary>Hand values: n 4, k 3, s 2 valid → 4·2 + max(3 − 2, 0) = 9, same → 8; k 2, s 3 valid → 12 + 0 = 12; k 3,
    /// d 2 (k_eff 5), s 1 valid → 4 + 4 = 8, same → 4; 1×1, s 1 → 4.</summary>
    [Theory]
    [InlineData(4, 3, 2, 1, "valid", 9)]
    [InlineData(4, 3, 2, 1, "same", 8)]
    [InlineData(4, 2, 3, 1, "valid", 12)]
    [InlineData(4, 3, 1, 2, "valid", 8)]
    [InlineData(4, 3, 1, 2, "same", 4)]
    [InlineData(4, 1, 1, 1, "valid", 4)]
    public void Conv2DTranspose_OutputShape_MatchesKerasDeconvLengthByHand(int n, int k, int s, int d, string padding, int expected)
    {
        var layer = new Conv2DTranspose(3, k, strides: s, padding: padding, dilationRate: d);
        _ = new Sequential(new[] { n, n + 1, 2 }, [layer], seed: 1);
        int expectedWidth = ConvReference.TransposeLength(n + 1, k, s, d, padding == "same");
        Assert.Equal([expected, expectedWidth, 3], layer.OutputShape);
    }

    /// <summary>Fans worked by hand. Conv2D 3×3, 4 → 8 channels: kernel (3, 3, 4, 8), fan_in 36, fan_out 72 — PyTorch's
    /// Conv2d(4, 8, 3) weight (8, 4, 3, 3) gives the same. Groups 2: (3, 3, 2, 8), fan_in 18, fan_out still 72 (PyTorch
    /// (8, 2, 3, 3): 18, 72). Depthwise (groups 4, multiplier 2): (3, 3, 1, 8), fan_in 9, fan_out 72 (PyTorch (8, 1, 3, 3)).
    /// Conv2DTranspose 3×3, 4 → 8: Keras kernel (3, 3, 8, 4), fan_in = 3·3·8 = 72 (the OUTPUT channels), fan_out 36;
    /// PyTorch ConvTranspose2d(4, 8, 3) weight (4, 8, 3, 3) also gives fan_in 8·9 = 72.</summary>
    [Fact]
    public void KernelFans_MatchKerasAndPyTorchByHand()
    {
        var plain = new Conv2D(8, 3);
        var grouped = new Conv2D(8, 3, groups: 2);
        var depthwise = new Conv2D(8, 3, groups: 4);
        var transpose = new Conv2DTranspose(8, 3);
        foreach (Layer layer in new Layer[] { plain, grouped, depthwise, transpose })
        {
            _ = new Sequential(new[] { 5, 5, 4 }, [layer], seed: 1);
        }
        Assert.Equal([3, 3, 4, 8], plain.KernelShape);
        Assert.Equal((36, 72), (plain.KernelFans.In, plain.KernelFans.Out));
        Assert.Equal([3, 3, 2, 8], grouped.KernelShape);
        Assert.Equal((18, 72), (grouped.KernelFans.In, grouped.KernelFans.Out));
        Assert.Equal([3, 3, 1, 8], depthwise.KernelShape);
        Assert.Equal((9, 72), (depthwise.KernelFans.In, depthwise.KernelFans.Out));
        Assert.Equal([3, 3, 8, 4], transpose.KernelShape);
        Assert.Equal((72, 36), (transpose.KernelFans.In, transpose.KernelFans.Out));

        Fans torchConv = Fans.FromShape([8, 4, 3, 3], WeightLayout.PyTorch);
        Fans torchDepthwise = Fans.FromShape([8, 1, 3, 3], WeightLayout.PyTorch);
        Fans torchTranspose = Fans.FromShape([4, 8, 3, 3], WeightLayout.PyTorch);
        Assert.Equal((torchConv.In, torchConv.Out), (plain.KernelFans.In, plain.KernelFans.Out));
        Assert.Equal((torchDepthwise.In, torchDepthwise.Out), (depthwise.KernelFans.In, depthwise.KernelFans.Out));
        Assert.Equal((torchTranspose.In, torchTranspose.Out), (transpose.KernelFans.In, transpose.KernelFans.Out));
    }

    /// <summary>he_uniform draws U(±√(6/fan_in)); with fan_in = 3·3·16 = 144 the limit is √(6/144) = 0.2041. All 4608
    /// weights lie inside it and the largest reaches 0.99 of it (P(all below) = 0.99^4608 ≈ 1e-20): the layer hands its
    /// own fans to the initializer. Bias from stream 1 with he_uniform uses the bias's (32, 32) fans: limit √(6/32).</summary>
    [Fact]
    public void HeUniform_UsesTheKernelFanIn()
    {
        var conv = new Conv2D(32, 3, kernelInitializer: "he_uniform");
        _ = new Sequential(new[] { 8, 8, 16 }, [conv], seed: 5);
        double limit = Math.Sqrt(6.0 / 144);
        float largest = conv.Kernel.ToArray().Max(Math.Abs);
        Assert.True(largest <= limit && largest > 0.99 * limit, $"largest |w| {largest}, limit {limit}");
    }

    [Fact]
    public void Flatten_KeepsTheRowsAndFlattensTheShape()
    {
        var flatten = new Flatten();
        var model = new Sequential(new[] { 2, 3, 2 }, [flatten], seed: 1);
        Assert.Equal([12], flatten.OutputShape);
        float[] x = [.. Enumerable.Range(0, 24).Select(i => (float)i)];
        Assert.Equal(x, model.Forward(new Tensors.Tensor(x, 2, 12)).Data);
        Assert.Equal("Flatten", flatten.KindName);
    }

    [Theory]
    [InlineData("full", "padding")]
    [InlineData("SAME ", null)]
    public void Conv2D_PaddingName_IsKerasOrAClearError(string padding, string? paramName)
    {
        if (paramName is null)
        {
            Assert.Equal(ConvolutionPadding.Same, new Conv2D(2, 3, padding: padding).Padding);
            return;
        }
        ArgumentException error = Assert.Throws<ArgumentException>(() => new Conv2D(2, 3, padding: padding));
        Assert.Equal(paramName, error.ParamName);
        Assert.Contains("\"full\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"same\" or \"valid\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conv2D_BadArguments_NameTheArgumentAndTheValue()
    {
        Assert.Equal("filters", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(0, 3)).ParamName);
        Assert.Equal("kernelSize", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(2, 0)).ParamName);
        Assert.Equal("strides", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(2, 3, strides: -1)).ParamName);
        Assert.Equal("dilationRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(2, 3, dilationRate: 0)).ParamName);
        ArgumentOutOfRangeException groups = Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(6, 3, groups: 4));
        Assert.Equal("groups", groups.ParamName);
        Assert.Contains("divide filters (6), got 4", groups.Message, StringComparison.Ordinal);
        Assert.Equal("filters", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2DTranspose(0, 3)).ParamName);
    }

    [Fact]
    public void Conv2D_ShapeProblems_AreClearErrors()
    {
        ArgumentException flat = Assert.Throws<ArgumentException>(() => new Sequential(64, [new Conv2D(2, 3)], seed: 1));
        Assert.Contains("[height, width, channels]", flat.Message, StringComparison.Ordinal);
        Assert.Contains("got shape [64]", flat.Message, StringComparison.Ordinal);

        ArgumentException channels = Assert.Throws<ArgumentException>(() => new Sequential(new[] { 5, 5, 3 }, [new Conv2D(4, 3, groups: 2)], seed: 1));
        Assert.Contains("groups (2) must divide the input channels, got 3", channels.Message, StringComparison.Ordinal);

        ArgumentException tooSmall = Assert.Throws<ArgumentException>(() => new Sequential(new[] { 4, 4, 1 }, [new Conv2D(2, 3, dilationRate: 2)], seed: 1));
        Assert.Contains("does not fit a 4×4 image", tooSmall.Message, StringComparison.Ordinal);

        ArgumentException afterFlatten = Assert.Throws<ArgumentException>(() => new Sequential(new[] { 5, 5, 1 }, [new Flatten(), new Conv2DTranspose(2, 3)], seed: 1));
        Assert.Contains("got shape [25]", afterFlatten.Message, StringComparison.Ordinal);
    }
}
