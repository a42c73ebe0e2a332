using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 22: the structured convolution initializers reach the layer in its Keras layout (kh, kw, C, F), so they
/// do what their papers say through the layer: with "same" padding and an odd window the centre tap (k − 1)/2 is the tap
/// that reads the output pixel's own input pixel (padding before = (k − 1)/2), so PyTorch's dirac makes the convolution the
/// identity and delta-orthogonal (Xiao et al. 2018) an orthogonal map of each pixel's channel vector, norm-preserving.</summary>
public class ConvInitializerTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Dirac_SamePaddingOddWindow_IsTheIdentity(int window)
    {
        var conv = new Conv2D(6, window, padding: "same", kernelInitializer: "dirac", useBias: false);
        var model = new Sequential(new[] { 5, 4, 6 }, [conv], seed: 2) { Threads = 1 };
        Tensor x = LayerReference.NormalTensor(3, model.InputDim, 7);
        // 1·x plus exact zeros: the same bits.
        Assert.Equal(x.Data, model.Forward(x).Data);
    }

    /// <summary>‖y_p‖ = ‖x_p‖ for every pixel p: float32 sums of 6·9 products, 1e-5 relative (see ConvGradientTests).</summary>
    [Fact]
    public void DeltaOrthogonal_SamePadding_PreservesEveryPixelsNorm()
    {
        var conv = new Conv2D(6, 3, padding: "same", kernelInitializer: "delta_orthogonal", useBias: false);
        var model = new Sequential(new[] { 5, 4, 6 }, [conv], seed: 2) { Threads = 1 };
        Tensor x = LayerReference.NormalTensor(3, model.InputDim, 7);
        float[] y = model.Forward(x).Data;
        for (int p = 0; p < x.Data.Length / 6; p++)
        {
            double inNorm = Math.Sqrt(x.Data.AsSpan(p * 6, 6).ToArray().Sum(v => (double)v * v));
            double outNorm = Math.Sqrt(y.AsSpan(p * 6, 6).ToArray().Sum(v => (double)v * v));
            Assert.True(Math.Abs(inNorm - outNorm) <= 1e-5 * inNorm, $"pixel {p}: |x| {inNorm}, |y| {outNorm}");
        }
        float[] offCentre = [.. conv.Kernel.ToArray().Where((_, i) => i / 36 != 4)];
        Assert.All(offCentre, v => Assert.Equal(0f, v));
    }
}
