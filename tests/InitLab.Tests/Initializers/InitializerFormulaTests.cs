using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Random;

namespace InitLab.Tests.Initializers;

public class InitializerFormulaTests
{
    [Theory]
    [InlineData("linear", null, 1.0)]
    [InlineData("conv2d", null, 1.0)]
    [InlineData("sigmoid", null, 1.0)]
    [InlineData("tanh", null, 5.0 / 3)]
    [InlineData("relu", null, 1.4142135623730951)]
    [InlineData("leaky_relu", null, 1.4141428569978354)]
    [InlineData("leaky_relu", 0.0, 1.4142135623730951)]
    [InlineData("leaky_relu", 10.0, 0.14071950894605836)]
    [InlineData("selu", null, 0.75)]
    public void Gain_MatchesPyTorchExactly(string nonlinearity, double? slope, double expected) =>
        Assert.Equal(expected, Gain.For(nonlinearity, slope));

    [Fact]
    public void Gain_UnknownNonlinearity_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<UnknownNameException>(() => Gain.For("gelu"));
        Assert.Contains("tanh", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GlorotLimit_784x256_IsSqrtSixOver1040()
    {
        Assert.Equal(Math.Sqrt(6.0 / 1040), VarianceScaling.GlorotUniform().Bound(new Fans(784, 256)), 15);
        Assert.Equal(0.125, VarianceScaling.GlorotUniform().Bound(new Fans(256, 128)), 15);
        Assert.Equal(0.20096810, VarianceScaling.HeNormal().Bound(new Fans(256, 128)), 7);
    }

    [Fact]
    public void KaimingWithASqrt5_IsTorchLinearBound()
    {
        var kaiming = new Kaiming(uniform: true, negativeSlope: Math.Sqrt(5));
        Assert.Equal(1 / Math.Sqrt(300), kaiming.Core.Bound(new Fans(300, 10)), 15);
        Assert.Equal(TorchLinearDefault.Bound(new Fans(300, 10)), kaiming.Core.Bound(new Fans(300, 10)), 15);
    }

    [Property]
    public Property LimitTimesSqrtFan_IsConstantPerPreset() =>
        Prop.ForAll(Gen.Choose(1, 5000).ToArbitrary(), Gen.Choose(1, 5000).ToArbitrary(), (fanIn, fanOut) =>
        {
            var fans = new Fans(fanIn, fanOut);
            return Math.Abs(VarianceScaling.HeUniform().Bound(fans) * Math.Sqrt(fanIn) - Math.Sqrt(6)) < 1e-12
                && Math.Abs(VarianceScaling.LecunUniform().Bound(fans) * Math.Sqrt(fanIn) - Math.Sqrt(3)) < 1e-12
                && Math.Abs(VarianceScaling.GlorotUniform().Bound(fans) * Math.Sqrt(fanIn + fanOut) - Math.Sqrt(6)) < 1e-12;
        });

    [Property]
    public Property Fill_NeverWritesOutsideTheSpan() =>
        Prop.ForAll(Gen.Elements([.. InitializerRegistry.Names.Where(n => n is not ("sparse" or "dirac" or "delta_orthogonal" or "identity" or "orthogonal" or "lsuv"))]).ToArbitrary(),
            Gen.Choose(0, 300).ToArbitrary(), (name, length) =>
            {
                var buffer = new float[length + 2];
                buffer[0] = float.NaN;
                buffer[^1] = float.NaN;
                InitializerRegistry.Resolve(name).Fill(buffer.AsSpan(1, length), [length], new Fans(16, 8), new Rng(1));
                return float.IsNaN(buffer[0]) && float.IsNaN(buffer[^1]);
            });

    [Theory]
    [InlineData(new[] { 3, 3, 16, 32 }, WeightLayout.Keras, 144, 288)]
    [InlineData(new[] { 32, 16, 3, 3 }, WeightLayout.PyTorch, 144, 288)]
    [InlineData(new[] { 784, 256 }, WeightLayout.Keras, 784, 256)]
    [InlineData(new[] { 256, 784 }, WeightLayout.PyTorch, 784, 256)]
    [InlineData(new[] { 7 }, WeightLayout.Keras, 7, 7)]
    [InlineData(new int[0], WeightLayout.Keras, 1, 1)]
    public void Fans_FromShape_FollowTheLayout(int[] shape, WeightLayout layout, int fanIn, int fanOut)
    {
        Fans fans = Fans.FromShape(shape, layout);
        Assert.Equal((fanIn, fanOut), (fans.In, fans.Out));
    }

    [Fact]
    public void Fans_PyTorchVector_IsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Fans.FromShape([5], WeightLayout.PyTorch));
        Assert.Contains("fewer than 2 dimensions", ex.Message, StringComparison.Ordinal);
    }
}
