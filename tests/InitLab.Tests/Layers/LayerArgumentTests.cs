using InitLab.Activations;
using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>Issue 21 / STYLE.md §6: a bad argument to a new layer names the argument, the value received and what is
/// valid.</summary>
public class LayerArgumentTests
{
    [Theory]
    [InlineData(1.0, "got 1")]
    [InlineData(1.5, "got 1.5")]
    [InlineData(-0.1, "got -0.1")]
    [InlineData(double.NaN, "got NaN")]
    public void BatchNormalization_MomentumOutsideZeroToOne_NamesMomentumAndValue(double momentum, string received)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormalization(momentum: momentum));
        Assert.Equal("momentum", error.ParamName);
        Assert.Contains(received, error.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "got 0")]
    [InlineData(-1e-3, "got -0.001")]
    [InlineData(double.PositiveInfinity, "got ∞")]
    [InlineData(double.NaN, "got NaN")]
    public void Normalization_EpsilonNotFinitePositive_NamesEpsilonAndValue(double epsilon, string received)
    {
        foreach (Func<object> create in new Func<object>[] { () => new BatchNormalization(epsilon: epsilon), () => new LayerNormalization(epsilon: epsilon) })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(create);
            Assert.Equal("epsilon", error.ParamName);
            Assert.Contains(received.Replace("∞", double.PositiveInfinity.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
                error.Message, StringComparison.Ordinal);
            Assert.Contains("> 0", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Residual_EmptyBranch_NamesBranch()
    {
        var error = Assert.Throws<ArgumentException>(() => new Residual([]));
        Assert.Equal("branch", error.ParamName);
        Assert.Contains("at least one layer, got 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Residual_NullBranchLayer_NamesItsPosition()
    {
        var error = Assert.Throws<ArgumentException>(() => new Residual([new Dense(3), null!]));
        Assert.Equal("branch", error.ParamName);
        Assert.Contains("branch layer 1 is null", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN, "got NaN")]
    [InlineData(float.NegativeInfinity, "got -")]
    public void Residual_AlphaNotFinite_NamesAlphaAndValue(float alpha, string received)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Residual([new Dense(3)], alpha: alpha));
        Assert.Equal("alpha", error.ParamName);
        Assert.Contains(received, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Residual_ProjectionWithWrongUnits_NamesBothWidthsWhenCreated()
    {
        var error = Assert.Throws<ArgumentException>(() => new Residual([new Dense(3)], projection: new Dense(5, useBias: false)));
        Assert.Equal("projection", error.ParamName);
        Assert.Contains("projection has 5 units but the branch ends with width 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Residual_ProjectionWithWrongUnitsAfterWidthKeepingLayer_NamesBothWidthsWhenBuilt()
    {
        // The branch ends in batch normalization, whose width is known only once the model builds the block.
        var error = Assert.Throws<ArgumentException>(() =>
            new Sequential(4, [new Residual([new Dense(3), new BatchNormalization()], projection: new Dense(5, useBias: false))], seed: 1));
        Assert.Contains("Residual 'residual_0': the projection has 5 units but the branch ends with width 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScalarBias_InitialValueNotFinite_NamesItAndValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ScalarBias(float.NaN));
        Assert.Equal("initialValue", error.ParamName);
        Assert.Contains("got NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActivationLayer_MisspelledName_SuggestsNearest()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ActivationLayer("rleu"));
        Assert.Contains("relu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequential_SameLayerInBranchAndOutside_SaysItAppearsTwice()
    {
        var shared = new Dense(4);
        var error = Assert.Throws<ArgumentException>(() => new Sequential(4, [new Residual([shared]), shared], seed: 1));
        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layers_BeforeBuilt_HaveNoParametersRatherThanNullOnes()
    {
        Assert.Empty(new ScalarBias().OwnParameters);
        Assert.Empty(new BatchNormalization().OwnParameters);
        Assert.Empty(new Residual([new Dense(2)], trainableAlpha: true).OwnParameters);
    }

    /// <summary>A fixed α is configuration, not a saved weight: a model allocated for a loader has it already, and the
    /// forward pass uses the current α even where it starts at 1.</summary>
    [Fact]
    public void Residual_FixedAlpha_IsConfigurationAndTheCurrentValueIsUsed()
    {
        var loaded = new Residual([new Dense(3, new Linear(), new InitLab.Initializers.Constant(1, "ones"))], alpha: 0.25f);
        _ = Sequential.Uninitialized(3, [loaded], seed: 1);
        Assert.Equal(0.25f, loaded.Alpha);

        var block = new Residual([new Dense(3, new Linear(), new InitLab.Initializers.Constant(1, "ones"))]);
        var model = new Sequential(3, [block], seed: 1) { Threads = 1 };
        Tensor x = new([1, 2, 3], 1, 3);
        // F(x) = x·1 = 6 in every column; y = x + α·6.
        Assert.Equal([7f, 8f, 9f], model.Forward(x).Data);
        block.Alpha = 0.5f;
        Assert.Equal([4f, 5f, 6f], model.Forward(x).Data);
        Tensor dx = model.Backward(new Tensor([1, 0, 0], 1, 3));
        // ∂y_0/∂x = e_0 + α·(1, 1, 1).
        Assert.Equal([1.5f, 0.5f, 0.5f], dx.Data);
    }
}
